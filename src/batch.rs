//! An ordered, bounded, streaming parallel map for batch work (mint one token
//! per `sub`, verify one token per line).
//!
//! One thread reads items, `workers` threads process them, and the calling
//! thread receives the results in input order. Items travel in chunks (1, 2,
//! 4, … up to [`Config::chunk`] items, so short inputs still spread over the
//! workers); a fixed number of chunks ([`Config::in_flight`]) is allocated
//! up front and recycled, so memory stays flat however long the input is and
//! the per-item buffers (`I`, `O`) are reused rather than reallocated.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Mutex;
use std::thread;

/// Longest line a batch reads (`verify -` tokens, `mint --sub-file` subs),
/// newline not counted: a token's size limit ([`crate::token::MAX_TOKEN_LEN`]),
/// which no line holding one token can exceed, and far above any `sub`. A
/// longer line ends the batch with an error naming it, so memory per line
/// stays bounded whatever the input.
pub const MAX_LINE: usize = crate::token::MAX_TOKEN_LEN;

/// Why a batch line could not be read.
#[derive(Debug)]
pub enum LineError {
    /// Longer than the cap (more than this many bytes were seen).
    TooLong(usize),
    /// Not UTF-8 text.
    NotUtf8,
    /// The reader failed.
    Io(std::io::Error),
}

impl LineError {
    /// The error for line `lineno` of the input `name`.
    pub fn into_error(self, name: &str, lineno: usize) -> crate::Error {
        match self {
            LineError::TooLong(max) => crate::Error::input(
                format!("{name}: line {lineno}"),
                format!(
                    "is longer than {}, the limit for a line of a batch (batch::MAX_LINE, a token's size limit)",
                    crate::io::size_name(max as u64)
                ),
            ),
            LineError::NotUtf8 => {
                crate::Error::input(format!("{name}: line {lineno}"), "is not UTF-8 text")
            }
            LineError::Io(e) => crate::Error::io(std::path::Path::new(name), "cannot read", e),
        }
    }
}

/// Read one line, its `\n` included, into `line` (cleared first), reading at
/// most `max + 1` bytes of it: a longer line is [`LineError::TooLong`]
/// without ever being held whole. Returns the bytes read, 0 at the end.
pub fn read_line<R: BufRead + ?Sized>(
    r: &mut R,
    line: &mut String,
    max: usize,
) -> Result<usize, LineError> {
    let mut bytes = std::mem::take(line).into_bytes();
    bytes.clear();
    let read = Read::take(&mut *r, max as u64 + 1).read_until(b'\n', &mut bytes);
    let n = match read {
        Ok(n) => n,
        Err(e) => {
            bytes.clear();
            *line = String::from_utf8(bytes).unwrap_or_default();
            return Err(LineError::Io(e));
        }
    };
    if n > max && bytes.last() != Some(&b'\n') {
        bytes.clear();
        *line = String::from_utf8(bytes).unwrap_or_default();
        return Err(LineError::TooLong(max));
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            *line = s;
            Ok(n)
        }
        Err(e) => {
            let mut b = e.into_bytes();
            b.clear();
            *line = String::from_utf8(b).unwrap_or_default();
            Err(LineError::NotUtf8)
        }
    }
}

/// The number of worker threads to use: the cores this process may run on.
pub fn available_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// Sizes for [`ordered_map`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Worker threads.
    pub workers: usize,
    /// Largest number of items in one chunk.
    pub chunk: usize,
    /// Chunks allocated (read ahead, being processed or waiting to be
    /// written in order); bounds memory.
    pub in_flight: usize,
}

impl Default for Config {
    fn default() -> Self {
        let workers = available_workers();
        Config {
            workers,
            chunk: 64,
            in_flight: workers * 4,
        }
    }
}

struct Chunk<I, O> {
    seq: u64,
    len: usize,
    items: Vec<I>,
    outs: Vec<O>,
}

enum Done<I, O> {
    Chunk(Chunk<I, O>),
    /// A worker panicked; the chunk it held is lost.
    Panic,
}

/// Tells the writer when a worker unwinds, so nothing waits for its chunk.
struct PanicGuard<'a, I, O>(&'a SyncSender<Done<I, O>>);

impl<I, O> Drop for PanicGuard<'_, I, O> {
    fn drop(&mut self) {
        if thread::panicking() {
            let _ = self.0.try_send(Done::Panic);
        }
    }
}

/// Map items through `work` on `cfg.workers` threads, handing each result
/// to `write` in input order.
///
/// - `read` fills the (reused, possibly non-empty) item it is given and
///   returns `Ok(true)`, or returns `Ok(false)` at the end of the input. It
///   runs on its own thread.
/// - `init` makes each worker's private state (a scratch buffer, a cloned
///   template); `work` fills the (reused) output for one item.
/// - `write` runs on the calling thread, once per item, in input order.
///
/// A `read` error ends the input: the items before it are still written,
/// then the error is returned. A `write` error stops everything and is
/// returned. A panic in `work` is propagated after the other threads stop.
pub fn ordered_map<I, O, S, E, R, N, W, F>(
    cfg: Config,
    read: R,
    init: N,
    work: W,
    mut write: F,
) -> Result<(), E>
where
    I: Default + Send,
    O: Default + Send,
    E: Send,
    R: FnMut(&mut I) -> Result<bool, E> + Send,
    N: Fn() -> S + Sync,
    W: Fn(&mut S, &mut I, &mut O) + Sync,
    F: FnMut(&mut I, &mut O) -> Result<(), E>,
{
    let workers = cfg.workers.max(1);
    let depth = cfg.in_flight.max(workers).max(1);
    let chunk = cfg.chunk.max(1);

    let (free_tx, free_rx) = mpsc::sync_channel::<Chunk<I, O>>(depth);
    for _ in 0..depth {
        // Cannot block or fail: the channel holds `depth` chunks and its
        // receiver is alive.
        let _ = free_tx.send(Chunk {
            seq: 0,
            len: 0,
            items: Vec::new(),
            outs: Vec::new(),
        });
    }
    // Only `depth` chunks exist, so sends on these channels never block.
    let (work_tx, work_rx) = mpsc::sync_channel::<Chunk<I, O>>(depth);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done<I, O>>(depth + workers);
    let stop = AtomicBool::new(false);

    thread::scope(|s| {
        let stop = &stop;
        let reader = s.spawn(move || reader_loop(read, free_rx, work_tx, stop, chunk));
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (work_rx, init, work) = (&work_rx, &init, &work);
            s.spawn(move || {
                let _guard = PanicGuard(&done_tx);
                let mut state = init();
                loop {
                    let next = work_rx
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .recv();
                    let Ok(mut c) = next else { break };
                    for (item, out) in c.items[..c.len].iter_mut().zip(&mut c.outs) {
                        work(&mut state, item, out);
                    }
                    if done_tx.send(Done::Chunk(c)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);

        let written = writer_loop(&mut write, done_rx, free_tx, depth);
        // Whatever happened, let the reader stop at its next chunk.
        stop.store(true, Ordering::Relaxed);
        let read_result = match reader.join() {
            Ok(r) => r,
            Err(p) => std::panic::resume_unwind(p),
        };
        written.and(read_result)
    })
}

fn reader_loop<I: Default, O: Default, E, R>(
    mut read: R,
    free_rx: Receiver<Chunk<I, O>>,
    work_tx: SyncSender<Chunk<I, O>>,
    stop: &AtomicBool,
    chunk: usize,
) -> Result<(), E>
where
    R: FnMut(&mut I) -> Result<bool, E>,
{
    let mut seq = 0u64;
    let mut size = 1usize;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let Ok(mut c) = free_rx.recv() else {
            return Ok(());
        };
        c.seq = seq;
        c.len = 0;
        let mut result = Ok(true);
        while c.len < size {
            if c.items.len() == c.len {
                c.items.push(I::default());
                c.outs.push(O::default());
            }
            match read(&mut c.items[c.len]) {
                Ok(true) => c.len += 1,
                other => {
                    result = other;
                    break;
                }
            }
        }
        if c.len > 0 {
            if work_tx.send(c).is_err() {
                return Ok(());
            }
            seq += 1;
        }
        match result {
            Ok(true) => size = (size * 2).min(chunk),
            Ok(false) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

fn writer_loop<I, O, E, F>(
    write: &mut F,
    done_rx: Receiver<Done<I, O>>,
    free_tx: SyncSender<Chunk<I, O>>,
    depth: usize,
) -> Result<(), E>
where
    F: FnMut(&mut I, &mut O) -> Result<(), E>,
{
    // Chunks in flight have distinct sequence numbers within
    // `next..next + depth`, so `seq % depth` is a free slot.
    let mut pending: Vec<Option<Chunk<I, O>>> = (0..depth).map(|_| None).collect();
    let mut next = 0u64;
    for done in done_rx.iter() {
        let Done::Chunk(c) = done else {
            // A worker panicked: stop; the scope re-raises its panic.
            return Ok(());
        };
        let slot = (c.seq % depth as u64) as usize;
        pending[slot] = Some(c);
        while let Some(mut c) = pending[(next % depth as u64) as usize].take() {
            let len = c.len;
            for (item, out) in c.items[..len].iter_mut().zip(&mut c.outs) {
                write(item, out)?;
            }
            next += 1;
            let _ = free_tx.send(c);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(workers: usize, chunk: usize, in_flight: usize) -> Config {
        Config {
            workers,
            chunk,
            in_flight,
        }
    }

    fn run(cfg: Config, n: u64) -> Vec<u64> {
        let mut i = 0u64;
        let mut got = Vec::new();
        ordered_map(
            cfg,
            |item: &mut u64| {
                if i == n {
                    return Ok::<bool, ()>(false);
                }
                *item = i;
                i += 1;
                Ok(true)
            },
            || (),
            |_, item, out: &mut u64| {
                // Uneven work so workers finish out of order.
                if *item % 7 == 0 {
                    thread::sleep(std::time::Duration::from_micros(50));
                }
                *out = *item * 3;
            },
            |_, out| {
                got.push(*out);
                Ok(())
            },
        )
        .unwrap();
        got
    }

    #[test]
    fn lines_are_capped_without_being_held() {
        let mut line = String::new();
        let mut r = std::io::Cursor::new(b"abc\nabcd\nab".to_vec());
        assert_eq!(read_line(&mut r, &mut line, 3).unwrap(), 4);
        assert_eq!(line, "abc\n");
        assert!(matches!(
            read_line(&mut r, &mut line, 3),
            Err(LineError::TooLong(3))
        ));
        assert!(line.is_empty());
        // A 200 MB line is refused after reading MAX_LINE + 1 of its bytes.
        let mut endless = std::io::BufReader::new(std::io::repeat(b'a'));
        let e = read_line(&mut endless, &mut line, MAX_LINE).unwrap_err();
        assert_eq!(
            e.into_error("<stdin>", 1).to_string(),
            "<stdin>: line 1: is longer than 256 KiB, the limit for a line of a batch (batch::MAX_LINE, a token's size limit)"
        );
        let mut r = std::io::Cursor::new(b"\xff\n".to_vec());
        assert!(matches!(
            read_line(&mut r, &mut line, 3),
            Err(LineError::NotUtf8)
        ));
        let mut r = std::io::Cursor::new(Vec::new());
        assert_eq!(read_line(&mut r, &mut line, 3).unwrap(), 0);
    }

    #[test]
    fn keeps_input_order_for_any_sizes() {
        for (w, c, f, n) in [
            (1, 1, 1, 10),
            (4, 3, 2, 1000),
            (3, 64, 12, 5000),
            (8, 1, 8, 333),
            (2, 64, 8, 0),
        ] {
            let got = run(cfg(w, c, f), n);
            let want: Vec<u64> = (0..n).map(|x| x * 3).collect();
            assert_eq!(got, want, "workers {w} chunk {c} in_flight {f}");
        }
    }

    #[test]
    fn read_error_after_the_items_before_it() {
        let mut i = 0;
        let mut got = Vec::new();
        let r = ordered_map(
            cfg(3, 4, 6),
            |item: &mut u32| {
                i += 1;
                if i == 100 {
                    return Err("bad line 100");
                }
                *item = i;
                Ok(true)
            },
            || (),
            |_, item, out: &mut u32| *out = *item,
            |_, out| {
                got.push(*out);
                Ok(())
            },
        );
        assert_eq!(r, Err("bad line 100"));
        assert_eq!(got, (1..100).collect::<Vec<u32>>());
    }

    #[test]
    fn write_error_stops_an_endless_input() {
        let mut written = 0;
        let r = ordered_map(
            cfg(2, 8, 4),
            |item: &mut u8| {
                *item = 1;
                Ok(true)
            },
            || (),
            |_, item, out: &mut u8| *out = *item,
            |_, _| {
                written += 1;
                if written == 50 {
                    Err("broken pipe")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("broken pipe"));
        assert_eq!(written, 50);
    }

    #[test]
    fn items_and_outputs_are_reused() {
        // Buffers keep their allocation between chunks: with 2 chunks of at
        // most 4 items, 200 outputs live in at most 8 distinct buffers.
        let mut i = 0;
        let mut bufs = std::collections::BTreeSet::new();
        ordered_map(
            cfg(2, 4, 2),
            |item: &mut String| {
                if i == 200 {
                    return Ok::<bool, ()>(false);
                }
                i += 1;
                item.clear();
                item.push('x');
                Ok(true)
            },
            Vec::<u8>::new,
            |scratch, item, out: &mut String| {
                scratch.clear();
                scratch.extend_from_slice(item.as_bytes());
                out.clear();
                out.push_str("a token-sized output, longer than the input");
            },
            |_, out| {
                bufs.insert(out.as_ptr() as usize);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(i, 200);
        assert!(bufs.len() <= 8, "{} buffers", bufs.len());
    }

    #[test]
    #[should_panic(expected = "scoped thread panicked")]
    fn a_worker_panic_propagates_without_hanging() {
        let mut i = 0;
        let _ = ordered_map(
            cfg(2, 2, 4),
            |item: &mut u32| {
                i += 1;
                *item = i;
                Ok::<bool, ()>(i < 10_000)
            },
            || (),
            |_, item, _out: &mut u32| {
                if *item == 37 {
                    panic!("boom");
                }
            },
            |_, _| Ok(()),
        );
    }
}
