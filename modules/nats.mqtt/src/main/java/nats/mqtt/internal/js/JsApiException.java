package nats.mqtt.internal.js;

/**
 * A JetStream API request that failed: the API's error ({@code code}, {@code err_code}, description), or no
 * answer in time. The message reads as Go's ApiError does: {@code description (err_code)}.
 */
public final class JsApiException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Go's JSNoMessageFoundErr. */
    public static final int NO_MESSAGE_FOUND = 10037;
    /** Go's JSStreamNotFoundErr. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** Go's JSStreamNameExistErr. */
    public static final int STREAM_NAME_EXISTS = 10058;
    /** Go's JSConsumerNotFoundErr. */
    public static final int CONSUMER_NOT_FOUND = 10014;
    /** Go's JSStreamStoreFailedF (e.g. "maximum messages per subject exceeded"). */
    public static final int STREAM_STORE_FAILED = 10077;
    /** Go's JSSequenceNotFoundErrF. */
    public static final int SEQUENCE_NOT_FOUND = 10043;
    /** Go's JSStreamMsgDeleteFailedF. */
    public static final int MSG_DELETE_FAILED = 10057;

    private final int code;
    private final int errCode;
    private final String description;

    public JsApiException(int code, int errCode, String description) {
        super(errCode > 0 ? description + " (" + errCode + ")" : description, null, false, false);
        this.code = code;
        this.errCode = errCode;
        this.description = description;
    }

    /** No answer within the timeout (Go's text). */
    static JsApiException timeout(String text) {
        return new JsApiException(408, 0, text);
    }

    public int code() {
        return code;
    }

    public int errCode() {
        return errCode;
    }

    public String description() {
        return description;
    }

    public boolean is(int apiErrCode) {
        return errCode == apiErrCode;
    }
}
