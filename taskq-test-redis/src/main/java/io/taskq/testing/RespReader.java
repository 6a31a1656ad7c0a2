package io.taskq.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one RESP2 reply into a flat string: simple strings and integers as they are, bulk
 * strings as their text, arrays as their elements joined by newlines, errors prefixed
 * with {@code ERR:}. Enough for test set-up and INFO parsing, nothing more.
 */
final class RespReader {

	private RespReader() {
	}

	static String read(InputStream in) throws IOException {
		String line = readLine(in);
		char type = line.charAt(0);
		String rest = line.substring(1);
		switch (type) {
			case '+', ':' -> {
				return rest;
			}
			case '-' -> {
				return "ERR:" + rest;
			}
			case '$' -> {
				int length = Integer.parseInt(rest);
				if (length < 0) {
					return "";
				}
				byte[] bytes = in.readNBytes(length + 2);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(rest);
				StringBuilder joined = new StringBuilder();
				for (int i = 0; i < count; i++) {
					if (i > 0) {
						joined.append('\n');
					}
					joined.append(read(in));
				}
				return joined.toString();
			}
			default -> throw new IOException("Unexpected RESP reply: " + line);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed");
			}
			if (previous == '\r' && b == '\n') {
				byte[] bytes = buffer.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			buffer.write(b);
			previous = b;
		}
	}

}
