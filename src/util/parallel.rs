//! Work spread over the cores, keeping order.

/// How many threads to use: `PORTFOLIO_THREADS`, else one per core (at most 16).
pub fn threads() -> usize {
    std::env::var("PORTFOLIO_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(16)
}

/// `a` on a thread of its own while `b` runs on this one, and both
/// results; one after the other here when one thread is asked for
/// (`PORTFOLIO_THREADS=1`).
pub fn beside<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if threads() <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), b)
    })
}

/// Map over `items` on every core, keeping order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    parallel_map_with(items, || (), |_, item| f(item))
}

/// Map over `items` on every core, keeping order; each thread first makes
/// its own state with `init` (e.g. a repository handle).
pub fn parallel_map_with<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads();
    if threads <= 1 || items.len() < 64 {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    // Threads take small batches in turn, so a run of large files (the
    // later phases) does not leave one core working alone.
    const BATCH: usize = 16;
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Room for an even share from the start: a results vector grown by
    // doubling touches (and page-faults) twice the memory it ends with.
    let share = items.len() / threads + BATCH;
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut done = Vec::with_capacity(share);
                    loop {
                        let start = next.fetch_add(BATCH, std::sync::atomic::Ordering::Relaxed);
                        if start >= items.len() {
                            break done;
                        }
                        for (k, item) in items.iter().enumerate().skip(start).take(BATCH) {
                            done.push((k, f(&mut state, item)));
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    release_free_memory();
    in_order(parts, items.len())
}

/// The results of `parts` in the order of their indices, `n` in all. Each
/// part is in increasing order (batches are taken in turn), so they are
/// merged: no table of `n` empty slots to fill and copy out again.
fn in_order<R>(parts: Vec<Vec<(usize, R)>>, n: usize) -> Vec<R> {
    let mut parts: Vec<_> = parts.into_iter().map(|p| p.into_iter().peekable()).collect();
    let mut out = Vec::with_capacity(n);
    loop {
        let next = parts.iter_mut().enumerate().filter_map(|(k, p)| p.peek().map(|(i, _)| (*i, k))).min();
        let Some((_, k)) = next else { return out };
        out.extend(parts[k].next().map(|(_, r)| r));
    }
}

/// Hand glibc's free pages back to the system (it keeps them otherwise).
/// The binary allocates through mimalloc, but libgit2 allocates through
/// glibc, and the history walk and the reads from Git free as much as they
/// keep: without this, `report`, `log` and `site` peak 8 to 16 MB higher at
/// 10 000 tiltak. Off glibc it does nothing. One of the crate's `unsafe`
/// calls, with no argument to check.
#[allow(unsafe_code)]
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only returns free memory to the system; it
        // takes each arena's lock and is safe to call from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_merged_by_index() {
        let parts = vec![vec![(0, 'a'), (1, 'b'), (4, 'e')], vec![], vec![(2, 'c'), (3, 'd'), (5, 'f')]];
        assert_eq!(in_order(parts, 6), vec!['a', 'b', 'c', 'd', 'e', 'f']);
    }

    #[test]
    fn uneven_work_keeps_the_order() {
        // Every seventh item is much slower, so the threads take their
        // batches out of step with each other.
        let items: Vec<u64> = (0..2_000).collect();
        let slow = |x: &u64| {
            if x.is_multiple_of(7) { (0..20_000u64).fold(*x, |a, b| a.wrapping_mul(31).wrapping_add(b)) } else { *x }
        };
        let expected: Vec<u64> = items.iter().map(slow).collect();
        assert_eq!(parallel_map(&items, slow), expected);
    }
}
