//! What a walk looks for and what it finds, as plain data that can be cached.

/// What history needs of a commit.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    #[serde(with = "oid_hex")]
    pub id: git2::Oid,
    /// Abbreviated id, for messages.
    pub short: String,
    /// Commit time: seconds since the epoch and the committer's offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub author: String,
    pub committer: String,
    pub message: String,
    /// For a merge that changes the walked folder: the commits it brought in
    /// that carry the walk's marker trailer (a decision made on a branch),
    /// newest first.
    pub merged: Vec<CommitInfo>,
    /// In a walk with a watched file: its blob in this commit, when this
    /// commit changed it (`None`: unchanged, or not watched). A removed file
    /// is the zero id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<HexOid>,
}

impl CommitInfo {
    /// The commit's date in its committer's time zone.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        local_date(self.time, self.offset_minutes)
    }

    /// The value of a `Key: value` trailer line, if present.
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.message.lines().rev().find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(str::trim))
    }

    /// [`CommitInfo::trailer`] of each of `keys`, in one pass over the message.
    pub fn trailers<const N: usize>(&self, keys: [&str; N]) -> [Option<&str>; N] {
        let mut found = [None; N];
        let mut left = N;
        for line in self.message.lines().rev() {
            if left == 0 {
                break;
            }
            for (key, slot) in keys.iter().zip(found.iter_mut()) {
                if slot.is_none()
                    && let Some(value) = line.strip_prefix(key).and_then(|rest| rest.strip_prefix(':'))
                {
                    *slot = Some(value.trim());
                    left -= 1;
                }
            }
        }
        found
    }
}

/// What history needs of a commit; the short id is git's default seven digits.
pub(crate) fn commit_info_of(c: &git2::Commit<'_>) -> CommitInfo {
    let id = c.id();
    CommitInfo {
        id,
        short: id.to_string()[..7].to_owned(),
        time: c.time().seconds(),
        offset_minutes: c.time().offset_minutes(),
        author: c.author().name().unwrap_or("?").to_owned(),
        committer: c.committer().name().unwrap_or("?").to_owned(),
        message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
        merged: Vec::new(),
        file: None,
    }
}

mod oid_hex {
    use super::HexOid;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(id: &git2::Oid, s: S) -> Result<S::Ok, S::Error> {
        HexOid(*id).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<git2::Oid, D::Error> {
        HexOid::deserialize(d).map(|h| h.0)
    }
}

/// The calendar date of a Git time in its own time zone.
pub(crate) fn local_date(seconds: i64, offset_minutes: i32) -> Option<chrono::NaiveDate> {
    let offset = chrono::FixedOffset::east_opt(offset_minutes * 60)?;
    chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&offset).date_naive())
}

/// A commit id written as hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexOid(pub git2::Oid);

impl serde::Serialize for HexOid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for HexOid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        git2::Oid::from_str(&text).map(HexOid).map_err(serde::de::Error::custom)
    }
}

/// A file that appeared in or left a sub-folder of the watched folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TreeChange {
    /// The sub-folder (directly under the watched folder).
    pub folder: String,
    pub file: String,
    pub added: bool,
}

/// What a walk looks for: the folder whose sub-folders it watches, and the
/// trailer key whose presence keeps a commit that changes no file there
/// (a decision recorded in a commit's message only).
#[derive(Debug, Clone, Copy)]
pub struct Watch<'a> {
    /// A path from the top of the repository.
    pub dir: &'a str,
    /// A trailer key, e.g. `Decided-For`; a commit carrying it is kept.
    pub marker: &'a str,
    /// A file (a path from the top of the repository) whose changes are
    /// recorded too: a commit that changes it is kept, with its new blob.
    pub file: Option<&'a str>,
}

/// One commit of a walk and the files that appeared in or left the watched
/// sub-folders in it.
pub type Step = (CommitInfo, Vec<TreeChange>);
