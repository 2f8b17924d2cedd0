package nats.api.monitoring;

/** A monitoring request refused with Go's text; {@code status} is the HTTP status (400 unless said). */
public class MonitorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public MonitorException(String message) {
        this(400, message);
    }

    public MonitorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
