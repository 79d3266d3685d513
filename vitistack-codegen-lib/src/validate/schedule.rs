//! The schedule stage: which thread checks what. Many files are checked one per thread, a long
//! stream a window of documents at a time on every thread; results always come back in input
//! order, so every output format sees the same sequence whatever the thread count.

/// Stack size for a thread that parses hostile input ([`super::read::MAX_DEPTH`] levels).
pub const STACK_SIZE: usize = 64 << 20;

/// Streams with at least this many documents are checked on several threads.
pub(super) const PARALLEL_MIN_DOCUMENTS: usize = 64;

/// Documents checked in parallel before their results are passed on: the most a stream holds
/// in memory as results at once.
pub(super) const WINDOW: usize = 2048;

/// Files checked at once before their results are passed on.
pub const FILE_WINDOW: usize = 256;

/// At most this many threads check one stream.
pub(super) const MAX_THREADS: usize = 8;

/// The threads worth using: the available cores, at most eight.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// Runs `work(i)` for every `i` in `0..len` on `threads` threads, each with a [`STACK_SIZE`]
/// stack (the calling thread is one of them): thread `t` takes `t`, `t + threads`, ... The
/// results come back in index order.
pub fn striped<T: Send>(len: usize, threads: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.max(1);
    let run = |first: usize| -> Vec<T> { (first..len).step_by(threads).map(&work).collect() };
    let run = &run;
    let per_thread: Vec<Vec<T>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| {
                std::thread::Builder::new()
                    .stack_size(STACK_SIZE)
                    .spawn_scoped(scope, move || run(t))
            })
            .collect();
        let mut results = vec![run(0)];
        for (t, handle) in (1..threads).zip(handles) {
            results.push(match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // A thread that cannot be started: do its share here.
                Err(_) => run(t),
            });
        }
        results
    });
    let mut iters: Vec<_> = per_thread.into_iter().map(Vec::into_iter).collect();
    let mut ordered = Vec::with_capacity(len);
    for i in 0..len {
        if let Some(item) = iters[i % threads].next() {
            ordered.push(item);
        }
    }
    ordered
}

/// Runs `work` on every item of `items` and passes the results to `emit` in order: on the
/// calling thread when `threads < 2`, else `window` items at a time on `threads` threads
/// ([`striped`]). `items` is pulled one window at a time, so a source that produces items
/// lazily is held in memory a window at a time.
pub fn in_order<I, T: Send>(
    items: impl IntoIterator<Item = I>,
    threads: usize,
    window: usize,
    work: impl Fn(usize, &I) -> T + Sync,
    emit: &mut dyn FnMut(T),
) where
    I: Sync,
{
    let mut items = items.into_iter().enumerate();
    if threads < 2 {
        for (i, item) in items {
            emit(work(i, &item));
        }
        return;
    }
    loop {
        let chunk: Vec<(usize, I)> = items.by_ref().take(window.max(1)).collect();
        if chunk.is_empty() {
            return;
        }
        let results = striped(chunk.len(), threads, |j| work(chunk[j].0, &chunk[j].1));
        results.into_iter().for_each(&mut *emit);
    }
}
