//! Percent-encoding of one URL path segment, both ways, so a dataflow name can travel in a path.

/// Encodes everything except RFC 3986's unreserved characters.
pub fn encode_segment(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Decodes `%XX` escapes; a malformed escape is kept as written rather than rejected, because the
/// text comes from the address bar and a "not found" page explains it better than an error.
pub fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| segment.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataflow_names_pass_through_unchanged() {
        assert_eq!(encode_segment("load-orders_v2.1"), "load-orders_v2.1");
    }

    #[test]
    fn other_characters_round_trip() {
        for text in ["a b", "a/b", "ü?#%"] {
            assert_ne!(encode_segment(text), text);
            assert_eq!(decode_segment(&encode_segment(text)), text);
        }
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(decode_segment("100%"), "100%");
        assert_eq!(decode_segment("%zz"), "%zz");
    }
}
