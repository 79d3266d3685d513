//! Reading a YAML stream a document at a time: [`DocumentReader`] pulls lines from a buffered
//! reader and hands out each document as soon as its end is seen, so a stream of any length is
//! held in memory one document (plus the caller's window of them) at a time. The cut is the one
//! of [`crate::yaml::split_documents`] (both feed the same [`Splitter`]): the same documents,
//! the same line numbers.

use std::io::BufRead;

use crate::yaml::{DocumentSpan, DocumentText, Splitter};

/// One document of a stream, owning its text: what [`DocumentReader`] hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedDocument {
    span: DocumentSpan,
    text: String,
}

impl OwnedDocument {
    /// The document as [`crate::yaml::split_documents`] would have cut it from the whole text.
    pub fn as_text(&self) -> DocumentText<'_> {
        self.span.of(&self.text, self.span.start)
    }
}

/// A document's text, whoever holds it: a slice of a whole text or an [`OwnedDocument`].
pub trait AsDocumentText: Sync {
    /// The document.
    fn as_document_text(&self) -> DocumentText<'_>;
}

impl AsDocumentText for DocumentText<'_> {
    fn as_document_text(&self) -> DocumentText<'_> {
        self.clone()
    }
}

impl AsDocumentText for OwnedDocument {
    fn as_document_text(&self) -> DocumentText<'_> {
        self.as_text()
    }
}

/// A stream that could not be read to its end: not UTF-8, or an I/O error. The documents before
/// the failure were handed out; the one it interrupted was not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

/// The documents of a YAML (or JSON) stream, read a line at a time. An iterator of
/// [`OwnedDocument`]s; after it ends, [`DocumentReader::error`] says whether the stream was read
/// to its end.
pub struct DocumentReader<R> {
    reader: R,
    splitter: Splitter,
    /// The stream's text from byte `base` on: the open document and the line being fed.
    pending: String,
    base: usize,
    /// The line being read, as bytes (checked as UTF-8 before it joins `pending`).
    line: Vec<u8>,
    closed_any: bool,
    done: bool,
    error: Option<ReadError>,
}

impl<R: BufRead> DocumentReader<R> {
    /// Reads the documents of `reader`.
    pub fn new(reader: R) -> Self {
        DocumentReader {
            reader,
            splitter: Splitter::default(),
            pending: String::new(),
            base: 0,
            line: Vec::new(),
            closed_any: false,
            done: false,
            error: None,
        }
    }

    /// Why the stream ended early, once the iterator has ended; `None` when it was read to its
    /// end.
    pub fn error(&self) -> Option<&ReadError> {
        self.error.as_ref()
    }

    /// Takes the text of `span` out of `pending` (everything before its end goes).
    fn take(&mut self, span: DocumentSpan) -> OwnedDocument {
        let rest = self.pending.split_off(span.end - self.base);
        let mut text = std::mem::replace(&mut self.pending, rest);
        text.drain(..span.start - self.base);
        self.base = span.end;
        self.closed_any = true;
        OwnedDocument { span, text }
    }

    fn fail(&mut self, message: String) -> Option<OwnedDocument> {
        self.done = true;
        self.error = Some(ReadError(message));
        self.pending = String::new();
        None
    }
}

impl<R: BufRead> Iterator for DocumentReader<R> {
    type Item = OwnedDocument;

    fn next(&mut self) -> Option<OwnedDocument> {
        while !self.done {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => {
                    self.done = true;
                    let span = self.splitter.finish(!self.closed_any)?;
                    return Some(self.take(span));
                }
                Ok(_) => {}
                Err(e) => return self.fail(e.to_string()),
            }
            let line = match std::str::from_utf8(&self.line) {
                Ok(line) => line,
                Err(e) => {
                    // The message of the whole-file check (`String::from_utf8`), with the byte
                    // index in the stream.
                    let at = self.splitter.position() + e.valid_up_to();
                    let message = match e.error_len() {
                        Some(n) => format!(
                            "not UTF-8 text: invalid utf-8 sequence of {n} bytes from index {at}"
                        ),
                        None => format!(
                            "not UTF-8 text: incomplete utf-8 byte sequence from index {at}"
                        ),
                    };
                    return self.fail(message);
                }
            };
            self.pending.push_str(line);
            if let Some(span) = self.splitter.line(line) {
                return Some(self.take(span));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::split_documents;

    /// Every way a stream can be cut, read through a tiny buffer: the same documents as the
    /// whole-text split.
    #[test]
    fn same_documents_as_the_whole_text_split() {
        let streams = [
            "# head\n%YAML 1.2\n---\na: 1\n--- # c\nb: 2\n...\n---\n--- {c: 3}\nd\n",
            "",
            "a: 1",
            "\u{feff}---\na: 1\r\n---\r\nb: 2\n...\n# tail\n",
            "---\n---\n",
            "a: 1\n...\n",
        ];
        for text in streams {
            let reader = DocumentReader::new(std::io::BufReader::with_capacity(3, text.as_bytes()));
            let owned: Vec<OwnedDocument> = reader.collect();
            let read: Vec<DocumentText<'_>> = owned.iter().map(OwnedDocument::as_text).collect();
            assert_eq!(read, split_documents(text), "{text:?}");
        }
    }

    #[test]
    fn stops_at_bytes_that_are_not_utf8() {
        let bytes = b"a: 1\n---\nb: \xff\n---\nc: 3\n";
        let mut reader = DocumentReader::new(&bytes[..]);
        let first = reader.next().expect("the document before the bad byte");
        assert_eq!(first.as_text().text, "a: 1\n");
        assert_eq!(reader.next(), None);
        assert_eq!(
            reader.error(),
            Some(&ReadError(
                "not UTF-8 text: invalid utf-8 sequence of 1 bytes from index 12".to_owned()
            ))
        );
        assert_eq!(
            String::from_utf8(bytes.to_vec())
                .unwrap_err()
                .utf8_error()
                .to_string(),
            "invalid utf-8 sequence of 1 bytes from index 12"
        );
    }
}
