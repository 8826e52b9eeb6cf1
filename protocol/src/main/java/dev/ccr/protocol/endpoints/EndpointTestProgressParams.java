package dev.ccr.protocol.endpoints;

/**
 * {@code endpoints/testProgress}: one step of a running {@code endpoints/test}, sent by the server before that request
 * is answered.
 *
 * @param progressToken the token the editor passed in {@link TestEndpointParams#progressToken()}; never null
 * @param endpoint the tested endpoint's name; may be null for unsaved settings without a name
 * @param step the step; never null
 * @param state where the step is; never null
 * @param message a short description for a progress line, such as {@code "HTTP 200 in 182 ms"}; never null
 */
public record EndpointTestProgressParams(
        String progressToken, String endpoint, TestStep step, StepState state, String message) {}
