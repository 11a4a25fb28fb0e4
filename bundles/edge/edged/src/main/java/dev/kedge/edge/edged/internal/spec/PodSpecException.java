package dev.kedge.edge.edged.internal.spec;

/**
 * A pod's container cannot be created as specified. {@link #reason()} is kubelet's waiting reason
 * ({@code CreateContainerConfigError}, {@code ErrImagePull}, {@code ImagePullBackOff}, {@code ErrImageNeverPull},
 * {@code InvalidImageName}, {@code CreateContainerError}, {@code ImageInspectError}); the message is what kubelet would put beside it.
 */
public final class PodSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final String CONFIG_ERROR = "CreateContainerConfigError";
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String IMAGE_PULL_BACKOFF = "ImagePullBackOff";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    public static final String INVALID_IMAGE_NAME = "InvalidImageName";
    public static final String CREATE_ERROR = "CreateContainerError";
    /** The runtime could not say whether it has the image (kubelet's {@code ImageInspectError}). */
    public static final String IMAGE_INSPECT_ERROR = "ImageInspectError";

    private final String reason;

    public PodSpecException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
