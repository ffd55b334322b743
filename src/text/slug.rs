//! File-name slugs: ASCII, lower-case, safe in any file system.

/// Longest slug written into a file name.
pub const MAX_SLUG_LEN: usize = 60;

/// Turn a title into a slug: lower-case ASCII, `æ→ae`, `ø→o`, `å→a`, other
/// letters folded to ASCII, everything else to `-`, no leading, trailing or
/// doubled `-`, at most 60 characters. The result never contains `/`, `\` or
/// `..`, so a title can never lead outside its folder. Empty when nothing is left.
pub fn slugify(title: &str) -> String {
    let mut folded = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            'æ' | 'Æ' => folded.push_str("ae"),
            'ø' | 'Ø' => folded.push('o'),
            'å' | 'Å' => folded.push('a'),
            c if c.is_ascii() => folded.push(c),
            c => folded.push_str(deunicode::deunicode_char(c).unwrap_or("-")),
        }
    }
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
    }
    slug.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_norwegian_letters() {
        assert_eq!(slugify("Felles samtykkeløsning"), "felles-samtykkelosning");
        assert_eq!(slugify("Ærlig Østlandsk Åker"), "aerlig-ostlandsk-aker");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
    }

    #[test]
    fn hostile_titles_stay_in_the_folder() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..\\..\\windows"), "windows");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify("a\0b\x1b[31mc"), "a-b-31mc");
    }

    #[test]
    fn limits_length() {
        let s = slugify(&"ord ".repeat(40));
        assert!(s.len() <= MAX_SLUG_LEN);
        assert!(!s.ends_with('-'));
    }
}
