package dev.kedge.device.driver;

/** The device cannot be reached or configured; the message is shown in the device's state and the log. */
public class DriverException extends Exception {
    private static final long serialVersionUID = 1L;

    public DriverException(String reason) {
        super(reason);
    }

    public DriverException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
