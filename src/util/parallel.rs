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
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut done = Vec::new();
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
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (k, r) in parts.into_iter().flatten() {
        slots[k] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

/// Hand the allocator's free pages back to the system (glibc keeps them
/// otherwise). The history walk and the parallel reads free as much as they
/// keep, in pieces of every size, on several threads: without this the
/// process stays at two to three times its live heap. Off glibc it does
/// nothing. The crate's second `unsafe`, a call with no argument to check.
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
