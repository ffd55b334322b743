//! The portfolio site (SPEC §13): static pages for councils, owners and the
//! public, from one commit.
//!
//! - `index.html`: the report (§7), as `report --format html` renders it;
//! - `board.html`: the phases, each with its tiltak;
//! - `log.html`: the decision log;
//! - `group-<slug>.html`, `segment-<slug>.html`: the report of one product
//!   group or segment;
//! - `tiltak/<id>.html`: one tiltak (ID lower-cased): its fields, its
//!   Markdown body, its criteria, benefits, risks, money, history.
//!
//! Every page is the report's HTML shell (`render::html`) around blocks of
//! the report's layout, with a `<nav>` added; tiltak IDs in tables link to
//! their pages. Relative links only, nothing fetched, nothing run.
//!
//! The site writes only its own files: the list of them is kept in
//! `.portfolio-site` in the folder, and a folder with other files and no such
//! list is refused. Each file is written atomically. The same commit gives
//! the same bytes: the date shown is the commit's, output is sorted.

mod markdown;
mod pages;
mod tiltak;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::domain::history::Stays;
use crate::domain::process::Language;
use crate::error::{Error, Result};
use crate::render::html;
use crate::report::i18n::Labels;
use crate::report::words::Words;
use crate::store::history::History;
use crate::store::view::View;
use crate::util::pieces::Pieces;

pub use markdown::to_html as markdown_to_html;

/// The file in the site's folder that lists what the site wrote.
pub const MANIFEST: &str = ".portfolio-site";

/// What a build did.
#[derive(Debug, Default)]
pub struct Written {
    /// Pages written.
    pub pages: usize,
    /// Pages of an earlier build no longer produced, removed.
    pub removed: Vec<String>,
}

/// `base`, or `base-2`, `base-3`, … : the first not in `taken`, which then
/// holds it.
fn unique_name(taken: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Build the site of `view` into `dir`; `clean`: the view is of HEAD, and
/// the work tree holds its tiltak folder and portfolio.yaml unchanged.
pub fn write(
    dir: &Path,
    mut view: View,
    clean: bool,
    history: std::result::Result<&History, &str>,
    language: Language,
) -> Result<Written> {
    let previous = previous_files(dir)?;
    // What is read from the repository is read first; then its handle goes,
    // and with it libgit2's cache of the trees it inflated (up to 16 MB,
    // kept as long as any handle has the pack open). Each thread writing
    // tiltak pages opens its own handle.
    let git = FromGit::read(&view, clean);
    view.close_repository();
    crate::util::parallel::release_free_memory();
    let site = Site::plan(&view, git, history, language);
    // Nothing is written over a file the site did not write.
    let mut produced: BTreeSet<String> = site.files();
    produced.insert(MANIFEST.to_owned());
    for name in &produced {
        let path = dir.join(name);
        if name != MANIFEST && !previous.contains(name) && std::fs::symlink_metadata(&path).is_ok() {
            return Err(Error::usage_hint(
                format!("{} exists and was not written by `portfolio site`", path.display()),
                "build the site into an empty folder, or into one an earlier `portfolio site` wrote",
            ));
        }
    }
    let tiltak_dir = dir.join("tiltak");
    match std::fs::symlink_metadata(&tiltak_dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::usage(format!("{} is not a folder", tiltak_dir.display())));
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir_all(&tiltak_dir).map_err(|e| Error::write(&tiltak_dir, e))?,
    }

    let pages = site.render_all(dir)?;

    // Pages of the earlier build that this one did not produce.
    let mut removed = Vec::new();
    for name in previous.iter().filter(|n| !produced.contains(*n)) {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            std::fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
            removed.push(name.clone());
        }
    }
    let mut manifest = String::from(
        "# Written by `portfolio site`. The next build replaces these files and removes\n# those it no longer writes; it never touches any other file.\n",
    );
    for name in produced.iter().filter(|n| *n != MANIFEST) {
        manifest.push_str(name);
        manifest.push('\n');
    }
    let path = dir.join(MANIFEST);
    crate::util::atomic::write(&path, manifest.as_bytes()).map_err(|e| Error::write(&path, e))?;
    Ok(Written { pages, removed })
}

/// Write a page as it is rendered, so that a reader sees the old page or
/// the new, never a part (a temporary file beside it, renamed over it), like
/// `util::atomic::write` but without waiting for the disk after each of
/// thousands of pages: a flush per page made the build ten times slower,
/// and a page lost to a crash is written again by the next build. The
/// manifest, written last, is flushed. A page already as it should be is
/// left alone: a rebuild of the same commit writes nothing, and a static
/// host sees only the pages that changed. The page is never whole in
/// memory (the report's is tens of megabytes): it goes out in pieces of
/// [`PIECE`](crate::util::pieces::PIECE) bytes, compared with the old page as long as they match it.
fn replace(path: &Path, render: impl FnOnce(&mut html::Out<'_>)) -> std::io::Result<()> {
    let mut page = Pieces::new(Page::start(path)?);
    render(&mut page);
    let (page, written) = page.finish();
    page.finish(written)
}

/// A page being written ([`replace`]), a piece at a time.
struct Page<'p> {
    path: &'p Path,
    to: To,
}

enum To {
    /// The old page, read along: the `same` bytes so far match it.
    Same { old: std::fs::File, len: u64, same: u64, scratch: Vec<u8> },
    /// A new page, written in place: no reader could see an old one half
    /// replaced, and it costs half the file-system work of a temporary
    /// file and a rename (never over a file that appeared meanwhile).
    New(std::fs::File),
    /// A temporary file beside the page, renamed over it when done.
    Temp(std::fs::File, PathBuf),
}

impl<'p> Page<'p> {
    fn start(path: &'p Path) -> std::io::Result<Page<'p>> {
        let to = match std::fs::symlink_metadata(path) {
            Err(_) => To::New(std::fs::OpenOptions::new().write(true).create_new(true).open(path)?),
            Ok(m) if m.is_file() => match std::fs::File::open(path) {
                Ok(old) => To::Same { old, len: m.len(), same: 0, scratch: Vec::new() },
                Err(_) => Page::temp(path)?,
            },
            Ok(_) => Page::temp(path)?,
        };
        Ok(Page { path, to })
    }

    fn temp(path: &Path) -> std::io::Result<To> {
        let (file, temp) = temp_file(path)?;
        Ok(To::Temp(file, temp))
    }

    /// The old page differs: from here on into a temporary file, which
    /// starts with the part of the old page that matched.
    fn differs(&mut self) -> std::io::Result<()> {
        use std::io::{Read as _, Seek as _};
        let To::Same { old, same, .. } = &mut self.to else { return Ok(()) };
        let (mut file, temp) = temp_file(self.path)?;
        let copied = old
            .seek(std::io::SeekFrom::Start(0))
            .and_then(|_| std::io::copy(&mut old.by_ref().take(*same), &mut file))
            .and_then(|n| {
                if n == *same {
                    Ok(())
                } else {
                    Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the old page changed while read"))
                }
            });
        self.to = To::Temp(file, temp);
        copied
    }

    /// Compare or write the next piece.
    fn put(&mut self, piece: &[u8]) -> std::io::Result<()> {
        use std::io::{Read as _, Write as _};
        if let To::Same { old, len, same, scratch } = &mut self.to {
            let n = piece.len() as u64;
            let matches = *same + n <= *len && {
                scratch.resize(piece.len(), 0);
                old.read_exact(scratch).is_ok() && *scratch == piece
            };
            if matches {
                *same += n;
                return Ok(());
            }
            self.differs()?;
        }
        match &mut self.to {
            To::New(file) | To::Temp(file, _) => file.write_all(piece),
            To::Same { .. } => Ok(()),
        }
    }

    /// Done, after every piece went out (`written`) or one failed: a
    /// temporary file is renamed over the page, or removed.
    fn finish(mut self, written: std::io::Result<()>) -> std::io::Result<()> {
        let result = written.and_then(|()| self.end());
        if result.is_err()
            && let To::Temp(_, temp) = &self.to
        {
            let _ = std::fs::remove_file(temp);
        }
        result
    }

    fn end(&mut self) -> std::io::Result<()> {
        // All that was rendered matched: the same page when the old one
        // ends there too.
        if let To::Same { len, same, .. } = &self.to {
            if same == len {
                return Ok(());
            }
            self.differs()?;
        }
        match &self.to {
            To::Temp(_, temp) => std::fs::rename(temp, self.path),
            _ => Ok(()),
        }
    }
}

impl std::io::Write for Page<'_> {
    fn write(&mut self, piece: &[u8]) -> std::io::Result<usize> {
        self.put(piece)?;
        Ok(piece.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A new temporary file beside `path`.
fn temp_file(path: &Path) -> std::io::Result<(std::fs::File, PathBuf)> {
    let temp = crate::util::atomic::temp_beside(path);
    Ok((std::fs::File::create(&temp)?, temp))
}

/// The files an earlier build listed; refuses a folder with other files
/// and no list.
fn previous_files(dir: &Path) -> Result<BTreeSet<String>> {
    let meta = match std::fs::symlink_metadata(dir) {
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            return Ok(BTreeSet::new());
        }
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(Error::usage(format!("{} exists and is not a folder", dir.display())));
    }
    let manifest = dir.join(MANIFEST);
    match std::fs::read_to_string(&manifest) {
        Ok(text) => Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| own_name(l))
            .map(str::to_owned)
            .collect()),
        Err(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            if entries.next().is_some() {
                return Err(Error::usage_hint(
                    format!("{} is not empty, and no earlier `portfolio site` wrote it (no {MANIFEST})", dir.display()),
                    "the site never deletes or replaces files it did not write: choose an empty or new folder",
                ));
            }
            Ok(BTreeSet::new())
        }
    }
}

/// A name the site could have written: `x.html` or `tiltak/x.html`, with
/// no way out of the folder. Anything else in a manifest is ignored.
fn own_name(name: &str) -> bool {
    let plain = |n: &str| {
        n.ends_with(".html")
            && !n.starts_with('.')
            && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
    };
    match name.split_once('/') {
        Some(("tiltak", rest)) => plain(rest),
        Some(_) => false,
        None => plain(name),
    }
}

/// The view's parts the pages read, shared by the threads (a repository
/// handle is not: each thread opens its own from `place`).
struct Snapshot<'a> {
    portfolio: &'a crate::store::portfolio::Portfolio,
    commit: Option<&'a crate::git::CommitInfo>,
    date: chrono::NaiveDate,
    place: Option<crate::git::Place>,
    /// Whether the work tree holds the commit's tiltak unchanged: their
    /// text is read from disk.
    from_disk: bool,
}

/// Everything the pages are made from.
struct Site<'a> {
    view: Snapshot<'a>,
    /// The history, with the stays it leaves for the days in phase and
    /// the flow of every report page (folded once, not once per page).
    history: std::result::Result<(&'a History, Stays), &'a str>,
    language: Language,
    l: &'static Labels,
    w: &'static Words,
    /// The page of each tiltak (by index in the view), `tiltak/<id>.html`.
    pages: Vec<String>,
    /// Upper-case ID → page, for links (the first file, for a duplicate ID).
    by_id: HashMap<String, usize>,
    /// Product groups of portfolio.yaml and their pages.
    groups: Vec<(String, String)>,
    /// Segments of portfolio.yaml: ID, name, page.
    segments: Vec<(String, String, String)>,
    /// The reporting rounds as of the site's commit, as `report` sees them.
    rounds: crate::store::rounds::AsOf,
}

/// What the pages need from the repository, read before its handle goes.
struct FromGit {
    place: Option<crate::git::Place>,
    from_disk: bool,
    rounds: crate::store::rounds::AsOf,
}

impl FromGit {
    fn read(view: &View, clean: bool) -> FromGit {
        // Round tags that cannot be read count as none closed.
        let closed = crate::store::rounds::closed(view.repo.as_ref()).unwrap_or_default();
        let rounds = crate::store::rounds::as_of(view, &closed);
        FromGit { place: view.repo.as_ref().map(crate::git::Repo::place), from_disk: clean, rounds }
    }
}

impl<'a> Site<'a> {
    fn plan(
        view: &'a View,
        git: FromGit,
        history: std::result::Result<&'a History, &'a str>,
        language: Language,
    ) -> Site<'a> {
        let p = &view.portfolio;
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let pages: Vec<String> = p
            .tiltak
            .iter()
            .map(|t| {
                let mut base = crate::text::slug::slugify(t.id());
                if base.is_empty() {
                    base = crate::text::slug::slugify(&t.path.file_stem().unwrap_or_default().to_string_lossy());
                }
                if base.is_empty() {
                    base = "tiltak".to_owned();
                }
                format!("tiltak/{}.html", unique_name(&mut taken, base))
            })
            .collect();
        let mut by_id = HashMap::new();
        for (i, t) in p.tiltak.iter().enumerate() {
            by_id.entry(t.id().to_ascii_uppercase()).or_insert(i);
        }
        let mut taken_top: BTreeSet<String> = ["index", "board", "log"].iter().map(|s| (*s).to_owned()).collect();
        let mut top = |base: String| format!("{}.html", unique_name(&mut taken_top, base));
        let slug = |s: &str| {
            let s = crate::text::slug::slugify(s);
            if s.is_empty() { "x".to_owned() } else { s }
        };
        let groups = p.def.product_groups.iter().map(|g| (g.clone(), top(format!("group-{}", slug(g))))).collect();
        let segments = p
            .def
            .segments
            .iter()
            .map(|s| (s.id.clone(), s.name.clone(), top(format!("segment-{}", slug(&s.id)))))
            .collect();
        let view = Snapshot {
            portfolio: p,
            commit: view.commit.as_ref(),
            date: view.date,
            place: git.place,
            from_disk: git.from_disk,
        };
        Site {
            view,
            history: history.map(|h| (h, Stays::of(&h.events))),
            language,
            l: Labels::for_language(language),
            w: Words::for_language(language),
            pages,
            by_id,
            groups,
            segments,
            rounds: git.rounds,
        }
    }

    /// Every page's file name, from the folder.
    fn files(&self) -> BTreeSet<String> {
        let mut files: BTreeSet<String> =
            ["index.html", "board.html", "log.html"].iter().map(|s| (*s).to_owned()).collect();
        files.extend(self.pages.iter().cloned());
        files.extend(self.groups.iter().map(|g| g.1.clone()));
        files.extend(self.segments.iter().map(|s| s.2.clone()));
        files
    }

    /// Render and write every page, on every core; how many were written.
    fn render_all(&self, dir: &Path) -> Result<usize> {
        let write = |name: &str, render: &mut dyn FnMut(&mut html::Out<'_>)| -> Result<()> {
            let path: PathBuf = dir.join(name);
            replace(&path, render).map_err(|e| Error::write(&path, e))
        };
        // The few report pages on one thread, the many tiltak pages on all.
        let (reports, tiltak) =
            crate::util::parallel::beside(|| self.report_pages(&write), || self.tiltak_pages(&write));
        Ok(reports? + tiltak?)
    }

    /// The relative address of a tiltak's page from a page `up` folders
    /// below the site's top.
    fn link(&self, id: &str, up: &str) -> Option<String> {
        self.by_id.get(&id.to_ascii_uppercase()).map(|&i| format!("{up}{}", self.pages[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::pieces::PIECE;

    /// Write `text` as a page, in pieces of 1 000 bytes, as a renderer would.
    fn put(path: &Path, text: &str) {
        replace(path, |out| {
            for piece in text.as_bytes().chunks(1000) {
                let _ = out.write_str(std::str::from_utf8(piece).expect("ASCII"));
            }
        })
        .expect("written");
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).expect("page"))
    }

    /// A page of `n` bytes, each position's byte its own (so a misplaced
    /// piece shows).
    fn page(n: usize) -> String {
        (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect()
    }

    #[test]
    fn a_page_is_compared_with_the_old_one_as_it_is_rendered() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("p.html");
        let big = page(3 * PIECE + 123);
        put(&path, &big);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), big);
        // The same page again: the file is left alone.
        #[cfg(unix)]
        let before = inode(&path);
        put(&path, &big);
        #[cfg(unix)]
        assert_eq!(inode(&path), before, "an unchanged page is not written again");
        // Longer, shorter, different at the start, in a later piece, in the last byte.
        let mut later = big.clone();
        later.replace_range(PIECE + 10..PIECE + 11, "#");
        let mut last = big.clone();
        last.replace_range(big.len() - 1.., "#");
        let cases = [
            format!("{big}more"),
            big[..2 * PIECE + 7].to_owned(),
            format!("#{}", &big[1..]),
            later,
            last,
            String::new(),
            big.clone(),
        ];
        for text in cases {
            put(&path, &text);
            assert_eq!(std::fs::read_to_string(&path).expect("read"), text, "a page of {} bytes", text.len());
        }
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, ["p.html"], "no temporary file is left");
    }
}
