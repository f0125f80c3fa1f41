//! Folders nest: `folder = "Tech / Podcasts"` is Podcasts inside Tech, as OPML nests its
//! outlines. A folder is its path of names, compared as people read them (case aside),
//! so the tree, `add --folder`, import and export agree on which folder is which.

/// Folders nest at most this deep; deeper is not a list of subscriptions.
pub const MAX_DEPTH: usize = 64;

/// Why `path` cannot be a folder, if it cannot.
pub fn refused(path: &str) -> Option<String> {
    (names(path).count() > MAX_DEPTH).then(|| format!("its folder nests more than {MAX_DEPTH} deep"))
}

/// Between the names of a folder path, as written in the config.
const SEPARATOR: &str = " / ";

/// The names of a folder path, trimmed, empty ones left out.
pub fn names(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').map(str::trim).filter(|name| !name.is_empty())
}

/// `path` written the one way: names trimmed and joined by " / "; `None` when it
/// names no folder.
pub fn tidy(path: &str) -> Option<String> {
    let joined = names(path).collect::<Vec<_>>().join(SEPARATOR);
    (!joined.is_empty()).then_some(joined)
}

/// A folder path from its names (an OPML's nested outlines), `None` for none.
pub fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    tidy(&names.into_iter().collect::<Vec<_>>().join(SEPARATOR))
}

/// `path` spelled as `known` already spells it, name by name ("tech / podcasts" finds
/// "Tech" and then "Podcasts" inside it); the names `known` lacks stay as given.
pub fn spelled_as<'a>(path: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> Option<String> {
    let mut spelled: Vec<&str> = Vec::new();
    for name in names(path) {
        let depth = spelled.len();
        let found = known.clone().into_iter().find_map(|other| {
            let other: Vec<&str> = names(other).collect();
            let same_parent = other.len() > depth && same(&other[..depth], &spelled);
            (same_parent && other[depth].to_lowercase() == name.to_lowercase()).then(|| other[depth])
        });
        spelled.push(found.unwrap_or(name));
    }
    join(spelled)
}

fn same(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_lowercase() == y.to_lowercase())
}

/// What a folder holds, in the order first met: items and the folders inside it.
#[derive(Debug, PartialEq)]
pub enum Entry<T> {
    Item(T),
    Folder(Folder<T>),
}

/// A folder of the tree that [`group`] makes.
#[derive(Debug, PartialEq)]
pub struct Folder<T> {
    /// Its own name, as first spelled.
    pub name: String,
    /// Its whole path, as first spelled ("Tech / Podcasts").
    pub path: String,
    pub entries: Vec<Entry<T>>,
}

/// Items grouped by their folder path, nested, each folder where its first item came;
/// items without a folder stay at the top, in order.
pub fn group<T>(items: impl IntoIterator<Item = (Option<String>, T)>) -> Vec<Entry<T>> {
    let mut top: Vec<Entry<T>> = Vec::new();
    for (path, item) in items {
        let names: Vec<&str> = path.as_deref().map(|p| names(p).collect()).unwrap_or_default();
        let mut entries = &mut top;
        for depth in 0..names.len() {
            let at = entries
                .iter()
                .position(|e| matches!(e, Entry::Folder(f) if f.name.to_lowercase() == names[depth].to_lowercase()));
            let at = at.unwrap_or_else(|| {
                let path = names[..=depth].join(SEPARATOR);
                entries.push(Entry::Folder(Folder { name: names[depth].to_owned(), path, entries: Vec::new() }));
                entries.len() - 1
            });
            let Entry::Folder(folder) = &mut entries[at] else { unreachable!("found or made a folder") };
            entries = &mut folder.entries;
        }
        entries.push(Entry::Item(item));
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_written_one_way() {
        assert_eq!(tidy(" Tech/Podcasts  "), Some("Tech / Podcasts".to_owned()));
        assert_eq!(tidy("Tech //  / Podcasts"), Some("Tech / Podcasts".to_owned()));
        assert_eq!(tidy(" / "), None);
        assert_eq!(join(["Tech", "Podcasts"]), Some("Tech / Podcasts".to_owned()));
        assert_eq!(join([]), None);
    }

    #[test]
    fn a_path_takes_the_spelling_already_known_name_by_name() {
        let known = ["Tech / Podcasts", "Actualités", "Sport / Tech"];
        assert_eq!(spelled_as("tech", known), Some("Tech".to_owned()));
        assert_eq!(spelled_as("TECH/podcasts", known), Some("Tech / Podcasts".to_owned()));
        assert_eq!(spelled_as("tech / Radio", known), Some("Tech / Radio".to_owned()));
        // "Tech" is known inside Sport only: at the top, "tech" stays as given.
        assert_eq!(spelled_as("actualités / tech", known), Some("Actualités / tech".to_owned()));
        assert_eq!(spelled_as("sport / TECH", known), Some("Sport / Tech".to_owned()));
    }

    #[test]
    fn items_are_grouped_nested_where_their_folder_first_came() {
        let items = [
            (None, 1),
            (Some("Tech / Podcasts".to_owned()), 2),
            (None, 3),
            (Some("tech".to_owned()), 4),
            (Some("Sport".to_owned()), 5),
            (Some("Tech/podcasts".to_owned()), 6),
        ];
        let shape = |entries: &[Entry<i32>]| -> String {
            fn walk(entries: &[Entry<i32>], out: &mut String) {
                for entry in entries {
                    match entry {
                        Entry::Item(n) => out.push_str(&format!("{n} ")),
                        Entry::Folder(f) => {
                            out.push_str(&format!("[{} ", f.path));
                            walk(&f.entries, out);
                            out.push_str("] ");
                        }
                    }
                }
            }
            let mut out = String::new();
            walk(entries, &mut out);
            out
        };
        assert_eq!(shape(&group(items)), "1 [Tech [Tech / Podcasts 2 6 ] 4 ] 3 [Sport 5 ] ");
    }
}
