package io.quotecast.client;

import io.quotecast.protocol.ErrorCode;

import java.util.Arrays;
import java.util.Optional;

/**
 * An {@code error} from the server: the request failed, the connection stays. {@code code} is the wire name
 * (kept as sent, should a newer server send a code this client does not know); {@code action} is null
 * when the server could not tell which request failed.
 */
public record ServerError(String code, String message, String action) {

    /** The code as the protocol names it, if this client knows it. */
    public Optional<ErrorCode> errorCode() {
        return Arrays.stream(ErrorCode.values()).filter(known -> known.wireName().equals(code)).findFirst();
    }
}
