//! The lines of a stream, handed out where they lie in the reader's buffer:
//! no copy per line, and only a line cut by the end of a read is gathered.
//! Lines are bytes: whether each is UTF-8 is the stream checker's finding
//! to make, not a reason to stop reading.

use std::io::{self, BufRead};

/// Calls `each` with every line, without its `\n` (or `\r\n`), until the
/// input ends or `each` fails.
pub fn for_each_line<E: From<io::Error>>(
    mut reader: impl BufRead,
    mut each: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let mut cut = Vec::new();
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error.into()),
        };
        if buffer.is_empty() {
            return if cut.is_empty() {
                Ok(())
            } else {
                each(without_cr(&cut))
            };
        }
        let read = buffer.len();
        let mut rest = buffer;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            if cut.is_empty() {
                each(without_cr(&rest[..end]))?;
            } else {
                cut.extend_from_slice(&rest[..end]);
                each(without_cr(&cut))?;
                cut.clear();
            }
            rest = &rest[end + 1..];
        }
        cut.extend_from_slice(rest);
        reader.consume(read);
    }
}

fn without_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], capacity: usize) -> Vec<String> {
        let reader = io::BufReader::with_capacity(capacity, input);
        let mut lines = Vec::new();
        for_each_line::<io::Error>(reader, |line| {
            lines.push(String::from_utf8_lossy(line).into_owned());
            Ok(())
        })
        .expect("read");
        lines
    }

    #[test]
    fn lines_are_found_across_reads() {
        let input = b"{\"a\":1}\r\n\n  \nlong line that spans reads\nlast without newline";
        let expected = [
            "{\"a\":1}",
            "",
            "  ",
            "long line that spans reads",
            "last without newline",
        ];
        for capacity in [1, 2, 3, 7, 64, 1024] {
            assert_eq!(lines(input, capacity), expected, "buffer of {capacity}");
        }
        assert_eq!(lines(b"", 8), Vec::<String>::new());
        assert_eq!(lines(b"\n", 8), [""]);
        assert_eq!(lines(b"a\n", 1), ["a"]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_lines_too() {
        let reader = io::BufReader::with_capacity(4, &b"ok\n\xff\xfe\nok"[..]);
        let mut lines = Vec::new();
        for_each_line::<io::Error>(reader, |line| {
            lines.push(line.to_vec());
            Ok(())
        })
        .expect("read");
        assert_eq!(
            lines,
            [b"ok".to_vec(), b"\xff\xfe".to_vec(), b"ok".to_vec()]
        );
    }
}
