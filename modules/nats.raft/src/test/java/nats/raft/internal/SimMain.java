package nats.raft.internal;

/**
 * Debugging aid, not a test: {@code SimMain seed nodes [millis]} runs one seed and prints its events;
 * {@code SimMain sweep from to nodes millis} runs a range of seeds and prints the failures.
 */
final class SimMain {

    public static void main(String[] args) {
        if (args[0].equals("sweep")) {
            long from = Long.parseLong(args[1]);
            long to = Long.parseLong(args[2]);
            int failures = 0;
            for (long seed = from; seed <= to; seed++) {
                try {
                    Simulation sim = new Simulation(seed, Integer.parseInt(args[3]), Simulation.Faults.HARSH);
                    sim.run(Long.parseLong(args[4]));
                    sim.heal(30_000);
                } catch (AssertionError e) {
                    failures++;
                    System.out.println(e.getMessage().lines().findFirst().orElse(""));
                }
            }
            System.out.println((to - from + 1) + " seeds, " + failures + " failures");
            return;
        }
        long seed = Long.parseLong(args[0]);
        Simulation sim = new Simulation(seed, Integer.parseInt(args[1]), Simulation.Faults.HARSH);
        try {
            sim.run(Long.parseLong(args.length > 2 ? args[2] : "6000"));
            sim.heal(20_000);
            System.out.println("OK " + sim.summary());
        } catch (AssertionError e) {
            System.out.println(String.join("\n", sim.events));
            System.out.println(e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace(System.out);
            }
        }
    }
}
