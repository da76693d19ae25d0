//! A command's token arguments read as one stream, each token named by its
//! source: `FILE:LINE` for a line of a file, `-:LINE` for a line of stdin,
//! `<arg>:N` for a token given on the command line as the N-th argument.
//! The batch lines and `--json` objects of `verify` name every token so.
//!
//! Every input is checked before the first token is read (a missing file,
//! a folder, a key file where tokens go): a mistyped name in a CI glob stops
//! the run with exit 2 before any verdict, rather than among them.

use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;

use anyhow::Result;
use uvtool::read::{self, Kind};
use uvtool::Error;

use super::{self as common, FileFlag, TokenArg};

/// The name of a token given as an argument, in sources.
pub const ARG: &str = "<arg>";

/// One token of the stream and where it came from.
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// The token, cleaned as every token reader cleans it.
    pub token: String,
    /// Which input (an index into [`Sources::names`]).
    pub input: usize,
    /// Its line in that input, from 1; for a token argument, the
    /// argument's position.
    pub line: usize,
}

/// The token inputs of a command, checked, in the order given.
pub struct Sources {
    parts: Vec<TokenArg>,
    names: Vec<String>,
    /// For each part, a stream opened to check its start: a FIFO or a
    /// device (`<(cmd)`, `/dev/stdin`), which gives its bytes once. Its
    /// start is put back in front of the rest.
    opened: Vec<Option<Stream>>,
}

/// An input being read.
type Stream = Box<dyn Read + Send>;

impl Sources {
    /// Read the token arguments (none: stdin). `flags` are the command's
    /// file flags, so a key file given where a token goes is told which
    /// flag takes it.
    pub fn new(args: &[String], flags: &[FileFlag]) -> Result<Self> {
        let parts: Vec<TokenArg> = if args.is_empty() {
            vec![TokenArg::Stdin]
        } else {
            args.iter()
                .map(|a| common::token_arg(Some(a)))
                .collect::<Result<_, _>>()?
        };
        let mut opened = Vec::with_capacity(parts.len());
        let mut names = Vec::with_capacity(parts.len());
        let mut stdin_read = false;
        for (i, p) in parts.iter().enumerate() {
            let (stream, name): (Option<Stream>, String) = match p {
                // Stdin is checked as a file is: its start, put back in
                // front (once: a second `-` is the caller's usage error).
                // A terminal is read when reached: a person types there,
                // after the other inputs are checked.
                TokenArg::Stdin if !stdin_read && !std::io::stdin().is_terminal() => {
                    stdin_read = true;
                    (Some(check_stdin(flags)?), "-".to_string())
                }
                TokenArg::Stdin => (None, "-".to_string()),
                TokenArg::File(f) => (check_token_file(f, flags)?, f.clone()),
                // Several tokens in one argument, one a line: read as a
                // file's lines, named `<arg>:N:LINE`.
                TokenArg::Inline(t) if common::arg_lines(t).is_some() => {
                    let text = t.clone().into_bytes();
                    let stream: Stream = Box::new(std::io::Cursor::new(text));
                    (Some(stream), format!("{ARG}:{}", i + 1))
                }
                TokenArg::Inline(_) => (None, ARG.to_string()),
            };
            opened.push(stream);
            names.push(name);
        }
        Ok(Sources {
            parts,
            names,
            opened,
        })
    }

    /// The name of each input in sources: the path as given, `-` or `<arg>`.
    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// The stream: fills an item and returns true, or false at the end.
    /// Files are opened one at a time, when reached; an input that holds no
    /// token (stdin with nothing on it) is unusable (exit 2). Lines are read
    /// as every token reader reads them ([`read::Lines`]): bounded,
    /// cleaned as an argument is, bytes that are not UTF-8 making a
    /// malformed token (T0) rather than an unreadable input.
    pub fn reader(self) -> impl FnMut(&mut Item) -> Result<bool> + Send {
        let names = self.names;
        let mut parts = self.parts.into_iter().zip(self.opened).enumerate();
        let mut current: Option<Current> = None;
        let mut line = read::Line::default();
        move |item: &mut Item| -> Result<bool> {
            loop {
                let Some(cur) = current.as_mut() else {
                    let Some((i, (part, opened))) = parts.next() else {
                        return Ok(false);
                    };
                    match part {
                        TokenArg::Inline(_) if opened.is_some() => {
                            let name = names.get(i).cloned().unwrap_or_default();
                            current = opened.map(|stream| Current::new(i, name, stream));
                        }
                        TokenArg::Inline(t) => {
                            item.token = t;
                            item.input = i;
                            item.line = i + 1;
                            return Ok(true);
                        }
                        TokenArg::Stdin => {
                            let stream = match opened {
                                Some(stream) => stream,
                                // A terminal: its start read as a file's
                                // is (a token wrapped over lines gets its
                                // note), then streamed from the start.
                                None => {
                                    common::note_stdin("tokens, one a line,");
                                    let mut stdin = std::io::stdin();
                                    let head = stream_head(&mut stdin).map_err(|e| {
                                        Error::io(Path::new("<stdin>"), "cannot read", e)
                                    })?;
                                    note_wrapped("<stdin>", &read::decode_head(head.clone()));
                                    Box::new(std::io::Cursor::new(head).chain(stdin))
                                }
                            };
                            current = Some(Current::new(i, "<stdin>".into(), stream));
                        }
                        TokenArg::File(f) => {
                            let stream: Stream = match opened {
                                Some(stream) => stream,
                                None => Box::new(
                                    std::fs::File::open(&f)
                                        .map_err(|e| Error::io(Path::new(&f), "cannot open", e))?,
                                ),
                            };
                            current = Some(Current::new(i, f, stream));
                        }
                    }
                    continue;
                };
                let more = cur
                    .lines
                    .next_line(&mut line)
                    .map_err(|e| read::lines_error(&cur.name, e))?;
                if !more {
                    if cur.tokens == 0 {
                        return Err(Error::input(&cur.name, "has no token").into());
                    }
                    current = None;
                    continue;
                }
                if line.token_into(&mut item.token) {
                    cur.tokens += 1;
                    item.input = cur.index;
                    item.line = line.number;
                    return Ok(true);
                }
            }
        }
    }
}

/// `NAME:LINE`: where a token of the stream came from.
pub fn source(names: &[String], item: &Item) -> String {
    let name = names.get(item.input).map_or("?", String::as_str);
    format!("{name}:{}", item.line)
}

/// The input being read.
struct Current {
    index: usize,
    /// For messages (`<stdin>` for stdin).
    name: String,
    lines: read::Lines<BufReader<Stream>>,
    tokens: usize,
}

impl Current {
    fn new(index: usize, name: String, reader: Stream) -> Self {
        Current {
            index,
            name,
            lines: read::Lines::new(BufReader::with_capacity(64 * 1024, reader)),
            tokens: 0,
        }
    }
}

/// A file given as a token argument must start with a token: a key file
/// there is named, with the flag that takes it. Only the start is read, so
/// a file of a million tokens is still streamed. A file that holds one
/// token wrapped over lines keeps its contract (a verdict a line), and a
/// note says what the lines are.
///
/// A FIFO or a device (`<(cmd)`, `/dev/stdin`) gives its bytes once: it is
/// opened here, its start read as stdin's is ([`stream_head`]: no further
/// than it takes to decide), and returned with that start put back in
/// front, to be read on from there.
fn check_token_file(path: &str, flags: &[FileFlag]) -> Result<Option<Stream>> {
    let p = Path::new(path);
    let once = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let mut file = std::fs::File::open(p).map_err(|e| Error::io(p, "cannot open", e))?;
    let head = if once {
        stream_head(&mut file)
    } else {
        let mut head = Vec::new();
        (&mut file)
            .take(read::MAX_TOKEN_TEXT as u64)
            .read_to_end(&mut head)
            .map(|_| head)
    }
    .map_err(|e| Error::io(p, "cannot read", e))?;
    if let Some(whole) = whole_utf16(path, &head, &mut file)? {
        check_head(
            path,
            whole.get(..read::MAX_TOKEN_TEXT).unwrap_or(&whole),
            flags,
        )?;
        return Ok(Some(Box::new(std::io::Cursor::new(whole))));
    }
    check_head(path, &head, flags)?;
    if !once {
        // A file is read again from its start when reached.
        return Ok(None);
    }
    Ok(Some(Box::new(std::io::Cursor::new(head).chain(file))))
}

/// Stdin as a token input ([`check_token_file`] for a FIFO): its start
/// read and checked, then put back in front of the rest.
fn check_stdin(flags: &[FileFlag]) -> Result<Stream> {
    let mut stdin = std::io::stdin();
    let head =
        stream_head(&mut stdin).map_err(|e| Error::io(Path::new("<stdin>"), "cannot read", e))?;
    if let Some(whole) = whole_utf16("<stdin>", &head, &mut stdin)? {
        check_start(
            "<stdin>",
            whole.get(..read::MAX_TOKEN_TEXT).unwrap_or(&whole),
            flags,
            true,
        )?;
        return Ok(Box::new(std::io::Cursor::new(whole)));
    }
    check_start("<stdin>", &head, flags, true)?;
    Ok(Box::new(std::io::Cursor::new(head).chain(stdin)))
}

/// A UTF-16 input (its start `head` holds the byte-order mark) is read
/// whole, as [`read::Lines`] reads it, and decoded before any token:
/// UTF-16 that does not decode is refused here (exit 2) in the words of
/// every reader, before the first verdict. `None` for any other input.
fn whole_utf16(name: &str, head: &[u8], rest: &mut impl Read) -> Result<Option<Vec<u8>>> {
    if !uvtool::io::is_utf16(head) {
        return Ok(None);
    }
    let mut all = head.to_vec();
    rest.take(uvtool::io::MAX_INPUT + 1)
        .read_to_end(&mut all)
        .map_err(|e| Error::io(Path::new(name), "cannot read", e))?;
    if all.len() as u64 > uvtool::io::MAX_INPUT {
        return Err(Error::input(
            name,
            format!(
                "is larger than {}",
                uvtool::io::size_name(uvtool::io::MAX_INPUT)
            ),
        )
        .into());
    }
    Ok(Some(uvtool::io::decode_text(all, name)?))
}

/// Check the start of a token input named `path` ([`check_token_file`]):
/// its bytes, or its UTF-16 read as UTF-8.
fn check_head(path: &str, head: &[u8], flags: &[FileFlag]) -> Result<()> {
    check_start(path, head, flags, false)
}

/// [`check_head`]; `stdin` refuses only a key file (one a flag takes):
/// other lines on stdin get their verdicts (T0) as they come, and stdin
/// with no token says so at its end.
fn check_start(path: &str, head: &[u8], flags: &[FileFlag], stdin: bool) -> Result<()> {
    let text = String::from_utf8_lossy(head);
    let Err(m) = uvtool::token::decode(read::first_token_line(&text)) else {
        return Ok(());
    };
    if note_wrapped(path, head) {
        return Ok(());
    }
    // A malformed token is still a token: its verdict says what is wrong (T0).
    let kind = read::kind_of(head);
    if matches!(kind, Kind::Token | Kind::Tokens) {
        return Ok(());
    }
    let flag = flags
        .iter()
        .find(|f| f.takes.contains(&kind))
        .map(|f| f.flag);
    if stdin && flag.is_none() {
        return Ok(());
    }
    Err(match flag {
        Some(flag) => Error::input(
            path,
            format!("is {}, not a token: give it with {flag}, and the token as the argument", kind.describe()),
        ),
        None => Error::input(
            path,
            format!("does not start with a token (first line: {m}); give a token, a file of tokens one a line, or -"),
        ),
    }
    .into())
}

/// When the start of an input (`head`, as [`read::decode_head`] gives it)
/// is one token wrapped over lines, say so: the input keeps its contract
/// (a verdict a line), and the note says what the lines are. True when it
/// said so.
fn note_wrapped(name: &str, head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    if uvtool::token::decode(read::first_token_line(&text)).is_ok() {
        return false;
    }
    // The whole start, or its first lines before other tokens.
    let Some(lines) = read::wrapped_lines(&text).or_else(|| read::wrapped_start(&text)) else {
        return false;
    };
    say!(
        "uvtool: note: {}: {}",
        uvtool::text::escape(name),
        uvtool::token::wrapped_message(lines)
    );
    true
}

/// The start of stdin (or of a FIFO), as much as a file's start is read
/// for its check ([`read::MAX_TOKEN_TEXT`] bytes), but no more than it
/// takes to tell whether it is one token wrapped over lines
/// ([`wrapped_settled`]): a stream of tokens is judged as its lines
/// arrive, not when the start is full.
fn stream_head(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    while head.len() < read::MAX_TOKEN_TEXT {
        let room = chunk.len().min(read::MAX_TOKEN_TEXT - head.len());
        let buf = chunk.get_mut(..room).unwrap_or_default();
        let n = match input.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
        if wrapped_settled(&String::from_utf8_lossy(&read::decode_head(head.clone()))) {
            break;
        }
    }
    Ok(head)
}

/// Whether the complete lines of `text` already decide what
/// [`read::wrapped_lines`] says of the whole: the first line that holds
/// something decodes as a token, or is not base64url and dots (then no
/// wrapping), or a later line that is not ends the run of lines it joins.
fn wrapped_settled(text: &str) -> bool {
    let Some(end) = text.rfind('\n') else {
        return false;
    };
    let complete = text.get(..end).unwrap_or_default();
    let jose = |l: &str| {
        l.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let mut lines = complete
        .lines()
        .map(read::clean_token)
        .filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if !jose(first) || uvtool::token::decode(first).is_ok() {
        return true;
    }
    lines.any(|l| !jose(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

    /// Gives its chunks one read at a time, then fails the test: what reads
    /// past the chunks waits on a stream for nothing.
    struct Chunks(Vec<Vec<u8>>);

    impl Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            assert!(!self.0.is_empty(), "read past what it takes to decide");
            let c = self.0.remove(0);
            assert!(c.len() <= buf.len());
            buf[..c.len()].copy_from_slice(&c);
            Ok(c.len())
        }
    }

    fn chunks(parts: &[&str]) -> Chunks {
        Chunks(parts.iter().map(|p| p.as_bytes().to_vec()).collect())
    }

    #[test]
    fn the_start_of_stdin_is_read_only_as_far_as_it_decides() {
        // A token on the first line: decided there, the stream goes on.
        let head = stream_head(&mut chunks(&["Bear", &format!("er {TOKEN}\n")])).unwrap();
        assert_eq!(head, format!("Bearer {TOKEN}\n").as_bytes());
        // Text that is no token: decided at its line end.
        assert!(stream_head(&mut chunks(&["hello world\n"])).is_ok());
        // A first line that does not decode: read on until a line that is
        // not base64url ends the run, or the end.
        let (a, b) = TOKEN.split_at(20);
        let head = stream_head(&mut chunks(&[
            &format!("{a}\n"),
            &format!("{b}\n"),
            "# end\n",
        ]))
        .unwrap();
        assert_eq!(head, format!("{a}\n{b}\n# end\n").as_bytes());
        let mut ended = chunks(&[&format!("{a}\n"), &format!("{b}\n")]);
        ended.0.push(Vec::new());
        assert_eq!(stream_head(&mut ended).unwrap().len(), TOKEN.len() + 2);
        // Blank lines before and between decide nothing.
        assert!(!wrapped_settled("\n\n"));
        assert!(!wrapped_settled(&format!("\n{a}\n\n{b}\n")));
        assert!(!wrapped_settled(TOKEN), "a line without its end");
        assert!(wrapped_settled(&format!("{TOKEN}\n")));
        // What the whole would say, the start says once settled.
        for text in [
            format!("{a}\n{b}\n# end\nmore"),
            format!("{TOKEN}\n{a}"),
            format!("x y\n{a}\n{b}"),
        ] {
            assert!(wrapped_settled(&text), "{text}");
            let end = text.rfind('\n').unwrap();
            let more = format!("{text}\n{a}\n{b}\n");
            assert_eq!(
                read::wrapped_lines(text.get(..end).unwrap()),
                read::wrapped_lines(&more),
                "{text}"
            );
        }
        // Never more than a file's start.
        let long = "A".repeat(read::MAX_TOKEN_TEXT * 2);
        let head = stream_head(&mut std::io::Cursor::new(long)).unwrap();
        assert_eq!(head.len(), read::MAX_TOKEN_TEXT);
    }
}
