//! A portfolio on disk: finding its root, reading its process definition and
//! every tiltak file (in parallel), and running the rules over them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{self, Code, Diagnostic, Location};
use crate::domain::process::{self, ProcessDefinition};
use crate::domain::tiltak::{self, MAX_FILE_SIZE, Tiltak};
use crate::error::{Error, Result};
use crate::rules::{self, Context};
use crate::store::compared;
use crate::util::parallel::parallel_map_with;

/// A loaded portfolio.
#[derive(Debug)]
pub struct Portfolio {
    /// The folder holding `portfolio.yaml`.
    pub root: PathBuf,
    pub def: ProcessDefinition,
    /// Every tiltak file found, sorted by path.
    pub tiltak: Vec<Tiltak>,
    /// Every problem found while reading, and every rule broken.
    pub diagnostics: Vec<Diagnostic>,
    /// Each tiltak's blob in the commit it was read as of (by index in
    /// `tiltak`), as the listing gave it; empty when read from a folder
    /// without Git.
    pub blobs: Vec<Option<crate::git::Oid>>,
}

/// Walk up from `start` to the folder holding `portfolio.yaml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
    let mut dir = start.as_path();
    loop {
        if dir.join(process::FILE_NAME).is_file() {
            return Ok(dir.to_owned());
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => return Err(Error::NoPortfolio { searched: start }),
        }
    }
}

/// The definition a commit's tiltak are read with: its own
/// `portfolio.yaml`, or today's with a note when that one is not valid
/// under today's tool. Refused (a usage error) when the commit has none.
pub fn definition_at(
    root: &Path,
    repo: &crate::git::Repo,
    commit: crate::git::Oid,
) -> Result<(ProcessDefinition, Option<String>)> {
    let file = in_repo(repo, root, process::FILE_NAME)?;
    let Some(bytes) = repo.file_at(commit, &file)? else {
        return Err(Error::usage(format!("there is no {file} in commit {commit}")));
    };
    Ok(match definition_from(&bytes) {
        Some(def) => (def, None),
        None => (load_definition(root)?, Some(invalid_definition_note(&commit.to_string()[..7]))),
    })
}

/// Read and validate `portfolio.yaml` in `root`.
pub fn load_definition(root: &Path) -> Result<ProcessDefinition> {
    let path = root.join(process::FILE_NAME);
    let text = read_text(&path).map_err(|e| Error::io(&path, e))?;
    ProcessDefinition::parse(&text, Path::new(process::FILE_NAME))
        .map_err(|diagnostics| Error::InvalidDefinition { root: root.to_owned(), diagnostics })
}

fn read_text(path: &Path) -> std::io::Result<String> {
    if fs::metadata(path)?.len() > MAX_FILE_SIZE {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("larger than {MAX_FILE_SIZE} bytes")));
    }
    let bytes = fs::read(path)?;
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not UTF-8 text ({e})")))
}

/// How much of each tiltak a load from a commit keeps and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Front matter and phase only, without the body or the rules: what a
    /// round or the board needs (the front matter's own findings, such as
    /// bad YAML, stay).
    FrontMatter,
    /// Front matter and phase, with every rule's findings: what reports need.
    Checked,
    /// Like `Checked`, and the criteria of the tiltak's own phase as
    /// evaluated ([`Tiltak::keep_own_evaluation`]): what a tiltak's page
    /// shows beside its body, which it renders from the text again.
    Evaluated,
    /// The whole file, body too, with its findings.
    Whole,
    /// Only the fields compared with an earlier round ([`compared::Fields`]),
    /// without findings: for the previous round of a report or an agenda.
    /// Read from Git, each blob's fields are noted for the next reading.
    Compared,
}

/// The status of each tiltak file read from disk ([`Portfolio::load_commit`]),
/// taken as it was read, by its path from the top of the work tree (as the
/// index names it; a string: hashing a `Path` walks its components).
pub type Stamps = std::collections::HashMap<String, crate::git::Stamp>;

/// `rel`, a path from the portfolio root, as a path from the top of the
/// repository (the portfolio may lie in a subfolder of it).
pub fn in_repo(repo: &crate::git::Repo, root: &Path, rel: &str) -> Result<String> {
    Ok(below(&repo.relative(root)?, rel))
}

/// `rel`, a path from the folder `top` (from the top of the repository),
/// from the top of the repository.
fn below(top: &str, rel: &str) -> String {
    if top.is_empty() { rel.to_owned() } else { format!("{top}/{rel}") }
}

/// A `portfolio.yaml` read from a commit, when it is valid under today's tool.
pub fn definition_from(bytes: &[u8]) -> Option<ProcessDefinition> {
    let text = decode(bytes, Path::new(process::FILE_NAME)).ok()?;
    ProcessDefinition::parse(&text, Path::new(process::FILE_NAME)).ok()
}

/// The one line that says an older `portfolio.yaml` was read with today's.
pub fn invalid_definition_note(short: &str) -> String {
    format!(
        "{} in commit {short} is not valid under this version of portfolio; it is read with today's definition",
        process::FILE_NAME
    )
}

/// What each tiltak read from disk keeps once its file's rules have run.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// Everything, the parsed body too (a command about to edit it).
    Whole,
    /// All but the body (see [`Tiltak::slim_body`]).
    FrontMatter,
    /// What the rules across tiltak read (see [`Tiltak::keep_identity`]).
    Identity,
}

/// A tiltak file found on disk, before it is read.
#[derive(Debug, Clone)]
pub struct Found {
    /// Relative to the root.
    pub path: PathBuf,
    pub phase: Option<usize>,
}

/// List the tiltak files under the tiltak folder. Symbolic links are never
/// followed (a warning says so); files outside a phase folder are reported.
pub fn discover(root: &Path, def: &ProcessDefinition) -> (Vec<Found>, Vec<Diagnostic>) {
    // The tiltak folder itself (or a folder on the way to it) must not be a
    // link: it could lead out of the repository. Nothing below it is read.
    let mut at = PathBuf::new();
    for part in Path::new(&def.tiltak_dir).components() {
        at.push(part);
        if fs::symlink_metadata(root.join(&at)).is_ok_and(|m| m.file_type().is_symlink()) {
            let d = Diagnostic::error(
                Code::SymlinkSkipped,
                &at,
                format!("the tiltak folder `{}` is a symbolic link; it is not followed", def.tiltak_dir),
            )
            .with_hint("make it a real folder inside the repository");
            return (Vec::new(), vec![d]);
        }
    }
    let mut files = Vec::new();
    let mut stack = vec![(PathBuf::from(&def.tiltak_dir), 0usize)];
    while let Some((rel, depth)) = stack.pop() {
        let Ok(entries) = fs::read_dir(root.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel_path = rel.join(&name);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                files.push((rel_path, depth, true, ()));
            } else if kind.is_dir() {
                // Phase folders are one level down; anything deeper is reported.
                if depth < MAX_DEPTH {
                    stack.push((rel_path, depth + 1));
                }
            } else {
                files.push((rel_path, depth, false, ()));
            }
        }
    }
    let (found, diags) = classify(def, files.into_iter());
    (found.into_iter().map(|(f, ())| f).collect(), diags)
}

/// How deep below the tiltak folder files are looked for.
pub const MAX_DEPTH: usize = 8;

/// Sort listed files into tiltak (with their phase) and findings: `files`
/// are paths from the root, how many folders below the tiltak folder they
/// lie, whether they are symbolic links, and what each carries to its
/// [`Found`] (its blob, when listed from Git).
pub fn classify<T>(
    def: &ProcessDefinition,
    files: impl Iterator<Item = (PathBuf, usize, bool, T)>,
) -> (Vec<(Found, T)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diags = Vec::new();
    for (rel_path, depth, symlink, extra) in files {
        let name = rel_path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        if symlink {
            diags.push(
                Diagnostic::warning(Code::SymlinkSkipped, &rel_path, "symbolic link not followed")
                    .with_hint("tiltak files must be real files inside the repository"),
            );
        } else if name.ends_with(".md") && !name.eq_ignore_ascii_case("README.md") {
            let phase = if depth == 1 {
                rel_path.parent().and_then(Path::file_name).and_then(|f| def.phase_by_folder(&f.to_string_lossy()))
            } else {
                None
            };
            if phase.is_none() {
                let folders: Vec<&str> = def.phases.iter().map(|p| p.folder.as_str()).collect();
                diags.push(
                    Diagnostic::error(Code::OutsidePhaseFolder, &rel_path, "the file is not in a phase folder")
                        .with_hint(format!("move it into one of {}/{{{}}}", def.tiltak_dir, folders.join(","))),
                );
            }
            found.push((Found { path: rel_path, phase }, extra));
        }
    }
    // In path order, compared byte by byte: comparing `Path`s parses both
    // into components at every one of the sort's n log n steps. Files
    // listed from Git come nearly in this order already.
    found.sort_by(|(a, _), (b, _)| path_order(&a.path, &b.path));
    diag::sort(&mut diags);
    (found, diags)
}

/// The order of [`Path`]'s own comparison, for paths that share their start
/// and go on in plain names (as listed files do): a separator sorts before
/// any other byte, so a name sorts before any longer name it starts.
fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let key = |b: &u8| if std::path::is_separator(char::from(*b)) { 0 } else { *b };
    let (a, b) = (a.as_os_str().as_encoded_bytes(), b.as_os_str().as_encoded_bytes());
    a.iter().map(key).cmp(b.iter().map(key))
}

/// Put `items` in order where the `i`th belongs at `place[i]` (`place` a
/// permutation), in place: each swap puts one item where it belongs, and
/// no second vector of them is made.
fn put_back<T>(items: &mut [T], mut place: Vec<usize>) {
    for i in 0..items.len() {
        while place[i] != i {
            let j = place[i];
            items.swap(i, j);
            place.swap(i, j);
        }
    }
}

/// Read one tiltak file from disk into `buf` (a reading thread's own
/// buffer, reused from file to file) and parse it, with its file rules.
pub fn read_tiltak(
    root: &Path,
    def: &ProcessDefinition,
    found: &Found,
    ctx: &Context,
    buf: &mut Vec<u8>,
) -> (Tiltak, Vec<Diagnostic>) {
    match read_found(root, found, buf) {
        Ok(text) => parse_with_rules(def, &found.path, found.phase, text, ctx),
        Err(d) => (Tiltak::unread(&found.path, found.phase), vec![d]),
    }
}

/// Parse a tiltak's text and run the per-file rules.
pub fn parse_with_rules(
    def: &ProcessDefinition,
    path: &Path,
    phase: Option<usize>,
    text: &str,
    ctx: &Context,
) -> (Tiltak, Vec<Diagnostic>) {
    let (t, mut diags) = tiltak::parse(def, path, phase, text);
    diags.extend(rules::file_rules(def, &t, ctx));
    diag::attach_excerpts(&mut diags, text);
    (t, diags)
}

fn too_large(size: u64, shown: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::Unreadable,
        shown,
        format!("the file is {size} bytes; a tiltak file may be at most {MAX_FILE_SIZE}"),
    )
    .with_hint("keep attachments out of the tiltak file and link to them")
}

/// The text of a tiltak file (`rel` from the root) that a command is about
/// to edit, read with the same limits as loading: too large or not UTF-8 is
/// an error that says where.
pub fn read_source(root: &Path, rel: &Path) -> Result<String> {
    read_limited(&root.join(rel), rel).map_err(|d| {
        let at = d.location.map(|l| format!(":{}:{}", l.line, l.column)).unwrap_or_default();
        Error::usage(format!("{}{at}: {}", crate::diag::display_path(rel), d.message))
    })
}

/// Read a file as UTF-8 text, refusing huge files and reporting where the
/// first invalid byte is. Diagnostics name the file as `shown`.
fn read_limited(path: &Path, shown: &Path) -> std::result::Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    read_limited_into(path, shown, &mut bytes).map_err(Diagnostic::from)?;
    String::from_utf8(bytes).or_else(|e| decode(e.as_bytes(), shown))
}

/// Why a file's bytes were not read: too large (a finding whatever the
/// file is read from), or not readable.
enum NotRead {
    TooLarge(Diagnostic),
    Cannot(Diagnostic),
}

impl From<NotRead> for Diagnostic {
    fn from(not: NotRead) -> Diagnostic {
        match not {
            NotRead::TooLarge(d) | NotRead::Cannot(d) => d,
        }
    }
}

/// A found file's text on disk, read into `buf`, or why it cannot be.
fn read_found<'b>(root: &Path, found: &Found, buf: &'b mut Vec<u8>) -> std::result::Result<&'b str, Diagnostic> {
    read_limited_into(&root.join(&found.path), &found.path, buf)?;
    text_of(buf, &found.path)
}

/// Read a file's bytes into `buf` (emptied first), refusing huge files.
fn read_limited_into(path: &Path, shown: &Path, buf: &mut Vec<u8>) -> std::result::Result<fs::Metadata, NotRead> {
    let cannot = |e: std::io::Error| {
        NotRead::Cannot(Diagnostic::error(Code::Unreadable, shown, format!("cannot read the file: {e}")))
    };
    // The size from the open file (no second walk of its path), and room
    // for it (and the byte that tells the file grew) made at once.
    let mut file = fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let size = meta.len();
    if size > MAX_FILE_SIZE {
        return Err(NotRead::TooLarge(too_large(size, shown)));
    }
    buf.clear();
    buf.reserve(size as usize + 1);
    // Never more than the limit and one byte, however the file grows meanwhile.
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, MAX_FILE_SIZE + 1), buf).map_err(cannot)?;
    if buf.len() as u64 > MAX_FILE_SIZE {
        return Err(NotRead::TooLarge(too_large(buf.len() as u64, shown)));
    }
    Ok(meta)
}

/// A file's bytes as UTF-8 text, or where its first invalid byte is.
pub fn decode(bytes: &[u8], shown: &Path) -> std::result::Result<String, Diagnostic> {
    text_of(bytes, shown).map(str::to_owned)
}

/// [`decode`] without a copy: the text in `bytes` itself.
pub fn text_of<'a>(bytes: &'a [u8], shown: &Path) -> std::result::Result<&'a str, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64, shown));
    }
    let unreadable = |m: String| Diagnostic::error(Code::Unreadable, shown, m);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        let text = String::from_utf8_lossy(&bytes[..good]).into_owned();
        let (line, column) = crate::text::line_col(&text, good);
        unreadable("the file is not valid UTF-8 text".to_owned())
            .at(Some(Location::new(line, column)))
            .with_hint("save the file as UTF-8")
    })
}

impl Portfolio {
    /// Load the portfolio whose root is `root`: every tiltak, every rule.
    /// Each tiltak keeps its front matter and criteria evaluations; the
    /// parsed body goes once the rules have run (see [`Tiltak::slim_body`]).
    pub fn load(root: &Path, ctx: &Context) -> Result<Portfolio> {
        Portfolio::load_all(root, ctx, Keep::FrontMatter)
    }

    /// Like [`Portfolio::load`], for a command that needs only the findings:
    /// each tiltak keeps only what the rules across tiltak read (its path,
    /// ID and dependencies, and where those stand; see
    /// [`Tiltak::keep_identity`]). The rest is let go on the thread that
    /// parsed it, whose next file reuses the memory: `check` on ten
    /// thousand files held tens of megabytes it never read again.
    pub fn load_findings(root: &Path, ctx: &Context) -> Result<Portfolio> {
        Portfolio::load_all(root, ctx, Keep::Identity)
    }

    /// Load every tiltak's front matter and phase, without the bodies or
    /// the file rules: what a listing shows. The front matter's own findings
    /// (bad YAML, a wrong type) stay.
    pub fn load_front_matter(root: &Path) -> Result<Portfolio> {
        let def = load_definition(root)?;
        let (found, diagnostics) = discover(root, &def);
        let results = parallel_map_with(&found, Vec::new, |buf, f| {
            let (mut t, d) = match read_found(root, f, buf) {
                Ok(text) => tiltak::parse_front_matter(&def, &f.path, f.phase, text),
                Err(d) => (Tiltak::unread(&f.path, f.phase), vec![d]),
            };
            t.slim();
            (t, d)
        });
        Ok(Portfolio::assemble(root, def, results, diagnostics, Vec::new()))
    }

    fn load_all(root: &Path, ctx: &Context, keep: Keep) -> Result<Portfolio> {
        let def = load_definition(root)?;
        let (found, diagnostics) = discover(root, &def);
        let results = parallel_map_with(&found, Vec::new, |buf, f| {
            let (mut t, d) = read_tiltak(root, &def, f, ctx, buf);
            match keep {
                Keep::Whole => {}
                Keep::FrontMatter => t.slim_body(),
                Keep::Identity => t.keep_identity(),
            }
            (t, d)
        });
        Ok(Portfolio::assemble(root, def, results, diagnostics, Vec::new()))
    }

    /// The portfolio with only the tiltak that `query` (an ID or a path) can
    /// name: the files whose names carry that ID, read and checked like
    /// `load` would. A gate on one tiltak then costs the same in a portfolio
    /// of ten or ten thousand. Falls back to `load` when no file name matches.
    pub fn load_for(root: &Path, ctx: &Context, query: &str, cwd: &Path) -> Result<Portfolio> {
        let def = load_definition(root)?;
        let (found, diagnostics) = discover(root, &def);
        let as_path = cwd.join(query).canonicalize().ok().and_then(|p| p.strip_prefix(root).ok().map(Path::to_owned));
        let named: Vec<(Found, Option<String>)> = found
            .into_iter()
            .map(|f| {
                let id = f.path.file_name().and_then(|n| tiltak::file_id(&n.to_string_lossy()));
                (f, id)
            })
            .collect();
        let (wanted, rest): (Vec<_>, Vec<_>) = named.into_iter().partition(|(f, id)| {
            as_path.as_deref() == Some(f.path.as_path())
                || id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(query))
        });
        if wanted.is_empty() {
            return Portfolio::load_all(root, ctx, Keep::Whole);
        }
        let wanted: Vec<Found> = wanted.into_iter().map(|(f, _)| f).collect();
        // The other tiltak are known by their file names: enough to judge
        // dependencies without reading them.
        let others: Vec<String> = rest.into_iter().filter_map(|(_, id)| id).collect();
        let diagnostics = diagnostics.into_iter().filter(|d| wanted.iter().any(|f| f.path == d.path)).collect();
        let mut buf = Vec::new();
        let results = wanted.iter().map(|f| read_tiltak(root, &def, f, ctx, &mut buf)).collect();
        Ok(Portfolio::assemble(root, def, results, diagnostics, others))
    }

    /// The portfolio as it was in a commit, read from Git objects only.
    /// `root` is where the portfolio lies in the work tree; its place in the
    /// repository is the same in every commit.
    /// `reading` says how much of each tiltak is kept and checked.
    ///
    /// The commit's own `portfolio.yaml` is used when it is valid under
    /// today's tool; otherwise the work tree's (today's), and the second
    /// value says so in one line (SPEC §2a). A commit without
    /// `portfolio.yaml` is a usage error: the portfolio did not exist then.
    pub fn load_at(
        root: &Path,
        repo: &crate::git::Repo,
        commit: crate::git::Oid,
        ctx: &Context,
        reading: Reading,
    ) -> Result<(Portfolio, Option<String>)> {
        let (def, note) = definition_at(root, repo, commit)?;
        Ok((Portfolio::load_commit(root, repo, commit, def, ctx, reading, None)?, note))
    }

    /// [`Portfolio::load_at`] with the commit's definition already read (by
    /// [`definition_at`]). With `from_disk`, for a commit whose tiltak
    /// folder and `portfolio.yaml` the work tree holds unchanged (`git
    /// status` shows no change there; `def` is the definition on disk, so
    /// the commit's): the files are listed from the index, which then holds
    /// the commit's tree (the same list `load_at` reads from the tree), and
    /// each one's text is read from disk, the same bytes without inflating
    /// Git's compressed deltas. A file that cannot be read from disk (a
    /// sparse checkout) is read from Git; one too large there is that finding.
    pub fn load_commit(
        root: &Path,
        repo: &crate::git::Repo,
        commit: crate::git::Oid,
        def: ProcessDefinition,
        ctx: &Context,
        reading: Reading,
        disk: Option<&mut Stamps>,
    ) -> Result<Portfolio> {
        let from_disk = disk.is_some();
        let dir = in_repo(repo, root, &def.tiltak_dir)?;
        // HEAD unchanged on disk: its files are the index's.
        let items =
            if from_disk { repo.list_index(&dir, MAX_DEPTH)? } else { repo.list_tree(commit, &dir, MAX_DEPTH)? };
        // Each file with its blob, kept beside it through the sort.
        let files = items.into_iter().filter(|i| i.kind != crate::git::TreeItemKind::Folder).map(|i| {
            let symlink = i.kind == crate::git::TreeItemKind::Symlink;
            (Path::new(&def.tiltak_dir).join(&i.path), i.depth, symlink, i.id)
        });
        let (found, diagnostics) = classify(&def, files);
        let (found, ids): (Vec<Found>, Vec<crate::git::Oid>) = found.into_iter().unzip();
        // An earlier round's compared fields, noted for each blob the last
        // time it was read: only the files without a note are read.
        let noted = (reading == Reading::Compared).then(|| compared::Noted::load(repo, &dir, ids.clone()));
        let to_read: Vec<usize> = match &noted {
            Some(noted) => noted.unnoted(),
            None => (0..found.len()).collect(),
        };
        // Each thread reads its own blobs through its own handle: no file's
        // text outlives its parsing.
        let place = repo.place();
        // From disk, a handle is opened only for a file that must be read from Git.
        // From Git, the files are read in the order their blobs lie in the
        // packs, and put back in path order after.
        let order = match from_disk {
            true => None,
            false => Some(repo.storage_order(&to_read.iter().map(|&k| ids[k]).collect::<Vec<_>>())),
        };
        let in_storage: Vec<(&Found, crate::git::Oid)> = match &order {
            Some(order) => order.iter().map(|&k| (&found[to_read[k]], ids[to_read[k]])).collect(),
            None => to_read.iter().map(|&k| (&found[k], ids[k])).collect(),
        };
        // Each thread reads a file from disk into a buffer of its own, reused
        // from file to file.
        let mut results = parallel_map_with(
            &in_storage,
            || (None, Vec::new()),
            |(handle, buf): &mut (Option<Result<crate::git::Repo>>, Vec<u8>), (f, id)| {
                // A file on disk too large is that finding; one that cannot
                // be read from disk (a sparse checkout) is read from Git.
                let mut stamp = None;
                let on_disk = match from_disk {
                    true => match read_limited_into(&root.join(&f.path), &f.path, buf) {
                        Ok(meta) => {
                            stamp = Some(crate::git::Stamp::of(&meta));
                            Some(Ok(()))
                        }
                        Err(NotRead::TooLarge(d)) => Some(Err(d)),
                        Err(NotRead::Cannot(_)) => None,
                    },
                    false => None,
                };
                let read = match on_disk {
                    Some(read) => Ok(read),
                    None => match handle.get_or_insert_with(|| place.open()) {
                        Ok(h) => h.blob_into(*id, buf).map(Ok),
                        Err(e) => Err(Error::Git(e.to_string())),
                    },
                };
                // The compared fields are noted only of a blob read: what
                // its bytes say, not a failure to read them.
                let (mut t, d, note) = match read.map(|read| read.and_then(|()| text_of(buf, &f.path))) {
                    Ok(Ok(text)) if reading == Reading::Compared => {
                        let (t, note) = compared::read(&def, &f.path, f.phase, text);
                        (t, Vec::new(), Some(note))
                    }
                    Ok(Ok(text)) if reading == Reading::FrontMatter => {
                        let (t, d) = tiltak::parse_front_matter(&def, &f.path, f.phase, text);
                        (t, d, None)
                    }
                    Ok(Ok(text)) => {
                        let (t, d) = parse_with_rules(&def, &f.path, f.phase, text, ctx);
                        (t, d, None)
                    }
                    Ok(Err(d)) => (Tiltak::unread(&f.path, f.phase), vec![d], None),
                    Err(e) => (
                        Tiltak::unread(&f.path, f.phase),
                        vec![Diagnostic::error(
                            Code::Unreadable,
                            &f.path,
                            format!("cannot read the file from Git: {e}"),
                        )],
                        None,
                    ),
                };
                match reading {
                    Reading::Whole => {}
                    Reading::Evaluated => t.keep_own_evaluation(),
                    _ => t.slim(),
                }
                ((t, d), (note, stamp))
            },
        );
        if let Some(order) = order {
            put_back(&mut results, order);
        }
        // From disk, in the order read (the files' own).
        let results: Vec<_> = match disk {
            Some(stamps) => {
                let top = repo.relative(root)?;
                results
                    .into_iter()
                    .zip(&in_storage)
                    .map(|((read, (note, stamp)), (f, _))| {
                        if let (Some(stamp), Some(path)) = (stamp, f.path.to_str()) {
                            stamps.insert(below(&top, path), stamp);
                        }
                        (read, note)
                    })
                    .collect()
            }
            None => results.into_iter().map(|(read, (note, _))| (read, note)).collect(),
        };
        let results = match noted {
            Some(noted) => {
                let files: Vec<(&Path, Option<usize>)> = found.iter().map(|f| (f.path.as_path(), f.phase)).collect();
                noted.finish(repo, &dir, &files, results)
            }
            None => results.into_iter().map(|(read, _)| read).collect(),
        };
        let mut portfolio = Portfolio::assemble(root, def, results, diagnostics, Vec::new());
        portfolio.blobs = ids.into_iter().map(Some).collect();
        Ok(portfolio)
    }

    fn assemble(
        root: &Path,
        def: ProcessDefinition,
        results: Vec<(Tiltak, Vec<Diagnostic>)>,
        mut diagnostics: Vec<Diagnostic>,
        also_known: Vec<String>,
    ) -> Portfolio {
        // Collected in the results' own allocation (a map over a vector's
        // own iterator is collected in place), not copied into a second one.
        let tiltak: Vec<Tiltak> = results
            .into_iter()
            .map(|(t, d)| {
                diagnostics.extend(d);
                t
            })
            .collect();
        diagnostics.extend(rules::portfolio_rules(&tiltak, &also_known));
        diag::sort(&mut diagnostics);
        Portfolio { root: root.to_owned(), def, tiltak, diagnostics, blobs: Vec::new() }
    }

    /// Find a tiltak by ID (case-insensitive) or by path.
    /// The same ID in two files is refused: a command must never pick one.
    pub fn find(&self, query: &str, cwd: &Path) -> Result<&Tiltak> {
        let by_id: Vec<&Tiltak> = self.tiltak.iter().filter(|t| t.id().eq_ignore_ascii_case(query)).collect();
        if let [t] = by_id[..] {
            return Ok(t);
        }
        if by_id.len() > 1 {
            let files: Vec<String> = by_id.iter().map(|t| crate::diag::display_path(&t.path)).collect();
            return Err(Error::usage_hint(
                format!("{query} is ambiguous: {} files use that ID: {}", by_id.len(), files.join(", ")),
                "give one of them the next free ID (`portfolio check` shows both), or name the file by its path",
            ));
        }
        let as_path = cwd.join(query);
        if let Ok(canonical) = as_path.canonicalize()
            && let Ok(rel) = canonical.strip_prefix(&self.root)
            && let Some(t) = self.tiltak.iter().find(|t| t.path == rel)
        {
            return Ok(t);
        }
        let ids = self.tiltak.iter().map(|t| t.id());
        let hint = crate::text::suggest(query, ids)
            .map(|s| format!("did you mean {s}?"))
            .unwrap_or_else(|| "`portfolio list` shows every tiltak".to_owned());
        Err(Error::usage_hint(format!("no tiltak {query} in this portfolio"), hint))
    }

    /// The diagnostics of one file.
    pub fn diagnostics_for<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.path == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_back_undoes_a_permutation() {
        let original: Vec<u32> = (0..50).map(|k| k * 7 % 50).collect();
        for step in [1, 3, 7, 49] {
            // `order` lists the original indices in the order they were read.
            let order: Vec<usize> = (0..50).map(|k| k * step % 50).collect();
            let mut read: Vec<u32> = order.iter().map(|&k| original[k]).collect();
            put_back(&mut read, order);
            assert_eq!(read, original, "step {step}");
        }
    }

    #[test]
    fn path_order_is_the_order_of_paths() {
        let names = ["a", "a-b", "a.b", "a b", "ab", "A", "æ", "a0", "z", "-", "_"];
        let mut paths: Vec<PathBuf> = Vec::new();
        for x in names {
            paths.push(PathBuf::from("tiltak").join(x));
            for y in names {
                paths.push(PathBuf::from("tiltak").join(x).join(y));
            }
        }
        let mut by_key = paths.clone();
        by_key.sort_by(|a, b| path_order(a, b));
        paths.sort();
        assert_eq!(by_key, paths);
    }
}
