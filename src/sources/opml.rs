//! OPML, the file readers trade subscriptions in: read (1.0 and 2.0; nested outlines are
//! folders, `title` or `text` names a feed) and written (every feed and site, in folders,
//! as other readers expect). quick-xml does the XML; nothing outside the five predefined
//! entities is expanded, so a DOCTYPE's entities cannot grow a file.
//!
//! Sites are written as their feed, so other readers can follow them, with two attributes
//! of kiosque's own (`kiosque:kind`, `kiosque:home`) so that kiosque reads them back as
//! sites.

use quick_xml::Reader;
use quick_xml::events::{BytesDecl, BytesStart, Event};

use super::subscriptions::{Entry, ImportError, MAX_ENTRIES, Read, Skipped, shorten};
use crate::config::FeedConfig;
use crate::folder::MAX_DEPTH;
use crate::model::SourceKind;
use crate::sanitize::clean_line;

/// The namespace of kiosque's own attributes.
const NAMESPACE: &str = "urn:kiosque:opml";

/// A file's bytes as text: UTF-16 by its byte-order mark, else the encoding its XML
/// declaration names, else UTF-8. Bad bytes become U+FFFD rather than an error.
pub fn xml_text(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode(bytes).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .and_then(|decl| decl.split("encoding").nth(1))
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .and_then(|rest| {
            let rest = rest.trim_start();
            let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    declared.unwrap_or(encoding_rs::UTF_8).decode_without_bom_handling(bytes).0.into_owned()
}

/// The subscriptions of an OPML document.
pub fn read(text: &str) -> Result<Read, ImportError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines::new(text);
    let mut read = Read::default();
    // The open elements: for an outline, the folder it names (None for a feed).
    let mut open: Vec<Option<String>> = Vec::new();
    let mut saw_root = false;
    loop {
        let position = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = (reader.error_position() as usize).max(position);
            ImportError::Broken { line: lines.at(at), reason: format!("broken XML ({e})") }
        })?;
        match event {
            Event::Start(ref element) | Event::Empty(ref element) if !saw_root => {
                let name = element.name().as_ref().to_owned();
                if name != "opml" {
                    let reason = format!("not an OPML file: its root is <{}>", shorten(&name));
                    return Err(ImportError::Broken { line: lines.at(position), reason });
                }
                saw_root = true;
                if matches!(event, Event::Start(_)) {
                    open.push(None);
                }
            }
            Event::Start(element) => {
                if open.len() > MAX_DEPTH {
                    let reason = format!("outlines nested deeper than {MAX_DEPTH} levels");
                    return Err(ImportError::Broken { line: lines.at(position), reason });
                }
                let line = lines.at(position);
                let folder = outline(&element, &open, line, &mut read)?;
                open.push(folder);
            }
            Event::Empty(element) => {
                let line = lines.at(position);
                outline(&element, &open, line, &mut read)?;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            // Text, comments, processing instructions, and a DOCTYPE, whose entities are
            // never expanded.
            _ => {}
        }
    }
    if !saw_root {
        return Err(ImportError::Broken { line: 1, reason: "not an OPML file: no <opml> element".to_owned() });
    }
    if !open.is_empty() {
        let reason = "the file ends before <opml> is closed (cut short?)".to_owned();
        return Err(ImportError::Broken { line: lines.at(text.len()), reason });
    }
    Ok(read)
}

/// Reads one element inside the document; returns the folder it opens, if it is one.
fn outline(
    element: &BytesStart<'_>,
    open: &[Option<String>],
    line: usize,
    read: &mut Read,
) -> Result<Option<String>, ImportError> {
    if element.name().as_ref() != "outline" {
        return Ok(None);
    }
    let mut attributes = Attributes::default();
    for attribute in element.attributes().with_checks(false) {
        let attribute =
            attribute.map_err(|e| ImportError::Broken { line, reason: format!("broken attribute ({e})") })?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| ImportError::Broken { line, reason: format!("broken attribute value ({e})") })?;
        let value = clean_line(&value);
        let value = Some(value).filter(|v| !v.is_empty());
        match attribute.key.as_ref() {
            "xmlUrl" | "xmlurl" | "url" if attributes.xml_url.is_none() => attributes.xml_url = value,
            "htmlUrl" | "htmlurl" => attributes.html_url = value,
            "title" => attributes.title = value,
            "text" => attributes.text = value,
            "type" => attributes.kind = value,
            "kiosque:kind" => attributes.site = value.as_deref() == Some("site"),
            "kiosque:home" => attributes.home = value,
            "kiosque:prefetch" => attributes.prefetch = value.as_deref() == Some("true"),
            _ => {}
        }
    }
    let name = attributes.title.clone().or(attributes.text.clone());
    let is_link = attributes.kind.as_deref().is_some_and(|k| !matches!(k, "rss" | "atom" | "feed" | "json"));
    let url = if attributes.site {
        attributes.home.or(attributes.html_url).or(attributes.xml_url)
    } else {
        attributes.xml_url
    };
    match url {
        Some(_) if is_link && !attributes.site => {
            let kind = attributes.kind.unwrap_or_default();
            let what = shorten(name.as_deref().unwrap_or_default());
            read.skipped.push(Skipped {
                line,
                what,
                reason: format!("an outline of type “{}”, not a feed", shorten(&kind)),
            });
            Ok(None)
        }
        Some(_) if read.entries.len() == MAX_ENTRIES => Err(ImportError::TooMany { line }),
        Some(url) => {
            let folder = crate::folder::join(open.iter().flatten().map(String::as_str));
            let kind = if attributes.site { SourceKind::Site } else { SourceKind::Feed };
            let source = FeedConfig { url, name, folder, kind, prefetch: attributes.prefetch };
            read.entries.push(Entry { source, line });
            Ok(None)
        }
        // An outline without an address groups the ones inside it.
        None => Ok(Some(name.unwrap_or_else(|| "Sans nom".to_owned()))),
    }
}

#[derive(Default)]
struct Attributes {
    xml_url: Option<String>,
    html_url: Option<String>,
    title: Option<String>,
    text: Option<String>,
    kind: Option<String>,
    site: bool,
    home: Option<String>,
    prefetch: bool,
}

/// Line numbers of byte offsets that only move forward: each byte is counted once.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { text, offset: 0, line: 1 }
    }

    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            return 1 + self.text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
        }
        self.line += self.text.as_bytes()[self.offset..offset].iter().filter(|&&b| b == b'\n').count();
        self.offset = offset;
        self.line
    }
}

/// A source as written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub name: String,
    pub folder: Option<String>,
    /// The feed: a site's own, or its home when its feed is not known.
    pub xml_url: String,
    pub html_url: Option<String>,
    /// A site's home, for kiosque to read it back as a site.
    pub site_home: Option<String>,
    pub prefetch: bool,
}

/// An OPML 2.0 document of `sources`, folders nested and in their first-seen order.
pub fn write(sources: &[Exported], created: &str) -> String {
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: std::io::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("opml")
            .with_attributes([("version", "2.0"), ("xmlns:kiosque", NAMESPACE)])
            .write_inner_content(|w| {
                w.create_element("head").write_inner_content(|w| {
                    w.create_element("title").write_text_content(quick_xml::events::BytesText::new("kiosque"))?;
                    w.create_element("dateCreated").write_text_content(quick_xml::events::BytesText::new(created))?;
                    Ok(())
                })?;
                w.create_element("body").write_inner_content(|w| {
                    let grouped = crate::folder::group(sources.iter().map(|s| (s.folder.clone(), s)));
                    outlines(w, &grouped)?;
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })();
    result.expect("writing to memory does not fail");
    let mut text = String::from_utf8(writer.into_inner()).expect("the writer writes the UTF-8 it is given");
    text.push('\n');
    text
}

fn outlines(w: &mut quick_xml::Writer<Vec<u8>>, entries: &[crate::folder::Entry<&Exported>]) -> std::io::Result<()> {
    for entry in entries {
        match entry {
            crate::folder::Entry::Item(source) => feed_outline(w, source)?,
            crate::folder::Entry::Folder(folder) => {
                w.create_element("outline")
                    .with_attributes([("text", folder.name.as_str()), ("title", folder.name.as_str())])
                    .write_inner_content(|w| outlines(w, &folder.entries))?;
            }
        }
    }
    Ok(())
}

fn feed_outline(w: &mut quick_xml::Writer<Vec<u8>>, source: &Exported) -> std::io::Result<()> {
    let mut element = w
        .create_element("outline")
        .with_attributes([("type", "rss"), ("text", source.name.as_str()), ("title", source.name.as_str())])
        .with_attribute(("xmlUrl", source.xml_url.as_str()));
    if let Some(html) = &source.html_url {
        element = element.with_attribute(("htmlUrl", html.as_str()));
    }
    if let Some(home) = &source.site_home {
        element = element.with_attributes([("kiosque:kind", "site"), ("kiosque:home", home.as_str())]);
    }
    if source.prefetch {
        element = element.with_attribute(("kiosque:prefetch", "true"));
    }
    element.write_empty()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(read: &Read) -> Vec<(String, Option<String>, Option<String>, usize)> {
        read.entries
            .iter()
            .map(|e| (e.source.url.clone(), e.source.name.clone(), e.source.folder.clone(), e.line))
            .collect()
    }

    #[test]
    fn nested_outlines_are_folders_and_title_or_text_names_a_feed() {
        let text = "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>x</title></head><body>\n\
            <outline text=\"Tech\">\n\
              <outline type=\"rss\" text=\"Ars &amp; co\" xmlUrl=\"https://a.example/rss\"/>\n\
              <outline title=\"Sub\"><outline text=\"T\" title=\"Deep\" xmlUrl=\"https://b.example/atom\"/></outline>\n\
            </outline>\n\
            <outline type=\"link\" text=\"A page\" url=\"https://c.example/\"/>\n\
            <outline xmlUrl=\"https://d.example/feed\"/>\n\
            </body></opml>";
        let read = read(text).unwrap();
        assert_eq!(
            lines(&read),
            [
                ("https://a.example/rss".into(), Some("Ars & co".into()), Some("Tech".into()), 4),
                ("https://b.example/atom".into(), Some("Deep".into()), Some("Tech / Sub".into()), 5),
                ("https://d.example/feed".into(), None, None, 8),
            ]
        );
        assert_eq!(read.skipped.len(), 1);
        assert_eq!((read.skipped[0].line, read.skipped[0].what.as_str()), (7, "A page"));
    }

    #[test]
    fn broken_files_name_the_line() {
        let broken = "<opml>\n<body>\n<outline text='a'>\n</body></opml>";
        let ImportError::Broken { line, reason } = read(broken).unwrap_err() else { panic!() };
        assert_eq!(line, 4, "{reason}");
        assert!(reason.starts_with("broken XML"), "{reason}");
        let rss = read("<rss version='2.0'><channel/></rss>").unwrap_err().to_string();
        assert_eq!(rss, "line 1: not an OPML file: its root is <rss>");
        let cut = read("<opml><body>\n<outline text='a'>").unwrap_err().to_string();
        assert!(cut.contains("ends before <opml> is closed"), "{cut}");
    }

    #[test]
    fn entities_of_a_doctype_are_not_expanded() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n\
            <opml><body><outline text=\"&b;\" xmlUrl=\"https://a.example/\"/></body></opml>";
        let error = read(laughs).unwrap_err().to_string();
        assert!(error.starts_with("line 3: broken attribute value"), "{error}");
        let external = "<!DOCTYPE opml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\
            <opml><body><outline text=\"ok\" xmlUrl=\"https://a.example/\"/></body></opml>";
        assert_eq!(read(external).unwrap().entries.len(), 1, "declared but unused: harmless");
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        let deep = format!("<opml><body>{}</body></opml>", "<outline text='f'>\n".repeat(1000));
        let error = read(&deep).unwrap_err().to_string();
        assert!(error.contains("nested deeper than 64 levels"), "{error}");
    }

    #[test]
    fn encodings_from_the_bom_or_the_declaration() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><opml><body>\
            <outline text='Caf\xe9' xmlUrl='https://a.example/'/></body></opml>";
        assert_eq!(read(&xml_text(latin1)).unwrap().entries[0].source.name.as_deref(), Some("Café"));
        let utf16: Vec<u8> = "\u{feff}<opml><body><outline text='Été' xmlUrl='https://a.example/'/></body></opml>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(read(&xml_text(&utf16)).unwrap().entries[0].source.name.as_deref(), Some("Été"));
    }

    #[test]
    fn what_is_written_reads_back() {
        let sources = [
            Exported {
                name: "Ars \"Technica\" & <co>".into(),
                folder: Some("Tech".into()),
                xml_url: "https://a.example/rss?x=1&y=2".into(),
                html_url: Some("https://a.example/".into()),
                site_home: None,
                prefetch: true,
            },
            Exported {
                name: "Le Kiosque".into(),
                folder: None,
                xml_url: "https://k.example/blog/feed/".into(),
                html_url: Some("https://k.example/blog/".into()),
                site_home: Some("https://k.example/blog/".into()),
                prefetch: false,
            },
        ];
        let text = write(&sources, "Wed, 02 Dec 2026 18:00:00 +0000");
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\""), "{text}");
        let back = read(&text).unwrap();
        let entries: Vec<String> = back
            .entries
            .iter()
            .map(|e| e.source.clone())
            .map(|s| format!("{} {:?} {:?} {:?} {}", s.url, s.name, s.folder, s.kind, s.prefetch))
            .collect();
        assert_eq!(
            entries,
            [
                r#"https://a.example/rss?x=1&y=2 Some("Ars \"Technica\" & <co>") Some("Tech") Feed true"#,
                r#"https://k.example/blog/ Some("Le Kiosque") None Site false"#,
            ]
        );
    }
}
