//! A value computed once from the fields beside it.

/// A value worked out once from the fields beside it, on first use: not
/// part of what the value is, so two are equal whether or not either was
/// computed yet (a definition read twice is the same definition).
#[derive(Debug, Clone, Default)]
pub struct Memo<T>(std::sync::OnceLock<T>);

impl<T> Memo<T> {
    /// The value, computed by `init` on first use.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(init)
    }
}

impl<T> PartialEq for Memo<T> {
    fn eq(&self, _: &Memo<T>) -> bool {
        true
    }
}
