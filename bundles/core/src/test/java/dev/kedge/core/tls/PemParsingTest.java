package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The PEM reader on the text variants files carry: CRLF, headers, comments around blocks, broken blocks. */
class PemParsingTest {
    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

    @Test
    void encodingIs64ColumnsWithTrailingNewline() {
        String pem = Pem.encode("X", new byte[100]);
        String[] lines = pem.split("\n");
        assertEquals("-----BEGIN X-----", lines[0]);
        assertEquals(64, lines[1].length());
        assertEquals(64, lines[2].length());
        assertEquals(136 - 128, lines[3].length()); // 100 bytes = 136 base64 characters
        assertEquals("-----END X-----", lines[4]);
        assertTrue(pem.endsWith("-----\n"));
        assertEquals("-----BEGIN X-----\n-----END X-----\n", Pem.encode("X", new byte[0]));
    }

    @Test
    void crlfHeadersAndSurroundingTextAreTolerated() throws Exception {
        String pem = "subject=CN = x\r\n  -----BEGIN EC PARAMETERS-----\r\nBggqhkjOPQMBBw==\r\n-----END EC PARAMETERS-----\r\n"
                + "-----BEGIN CERTIFICATE REQUEST-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\nMAMC\r\n AQU= \r\n"
                + "-----END CERTIFICATE REQUEST-----\r\ntrailing text";
        assertArrayEquals(DER, Pem.parseCsr(pem));
        assertEquals(1, Pem.decodeAll(pem, "EC PARAMETERS").size());
        assertEquals(List.of(), Pem.decodeAll(pem, Pem.CERTIFICATE));
    }

    @Test
    void brokenBlocksAreErrors() {
        TlsException e = assertThrows(TlsException.class,
                () -> Pem.decode("-----BEGIN CERTIFICATE-----\nMAMCAQU=\n", Pem.CERTIFICATE));
        assertTrue(e.getMessage().contains("END CERTIFICATE"), e.getMessage());
        e = assertThrows(TlsException.class,
                () -> Pem.decode("-----BEGIN CERTIFICATE-----\nMA*CAQU=\n-----END CERTIFICATE-----\n", Pem.CERTIFICATE));
        assertTrue(e.getMessage().contains("base64"), e.getMessage());
        assertThrows(TlsException.class, () -> Pem.decode("-----BEGIN CERTIFICATE\nMAMCAQU=\n", Pem.CERTIFICATE));
        assertThrows(TlsException.class, () -> Pem.decode("", Pem.CERTIFICATE));
    }
}
