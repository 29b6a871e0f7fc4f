//! Between field paths and byte spans, through the spanned document tree of `toml::de::DeTable`.

use super::error::{FieldPath, PathSegment};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The span of the value at `path`, or, when part of the path is absent (a missing key, an index past the
/// end), the span of the deepest table or array that exists on the way (a table's span is its header).
/// The whole document's span is the empty span at offset 0.
pub(crate) fn span_of(doc: &DeTable<'_>, path: &FieldPath) -> Range<usize> {
    let mut span = 0..0;
    let mut table = Some(doc);
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in path.segments() {
        let next = match seg {
            PathSegment::Key(key) => {
                table.and_then(|t| t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v))
            }
            PathSegment::Index(i) => value.and_then(|v| v.get_ref().as_array()).and_then(|a| a.get(*i)),
        };
        let Some(next) = next else { break };
        span = next.span();
        value = Some(next);
        table = next.get_ref().as_table();
    }
    span
}

/// The path of the key or value whose span best encloses `span` (the smallest; the deepest on a tie),
/// or the empty path when none does. The empty span at offset 0 is the whole document (the span toml gives
/// to problems with the top-level table).
pub(crate) fn path_at(doc: &DeTable<'_>, span: &Range<usize>) -> FieldPath {
    if *span == (0..0) {
        return FieldPath::root();
    }
    let mut best: Option<(usize, usize, FieldPath)> = None;
    visit_table(doc, &FieldPath::root(), span, &mut best);
    best.map_or_else(FieldPath::root, |(_, _, p)| p)
}

fn encloses(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn consider(
    candidate: &Range<usize>,
    path: &FieldPath,
    span: &Range<usize>,
    best: &mut Option<(usize, usize, FieldPath)>,
) {
    if !encloses(candidate, span) {
        return;
    }
    let len = candidate.len();
    let depth = path.segments().len();
    let better = match best {
        None => true,
        Some((blen, bdepth, _)) => len < *blen || (len == *blen && depth > *bdepth),
    };
    if better {
        *best = Some((len, depth, path.clone()));
    }
}

fn visit_table(
    table: &DeTable<'_>,
    path: &FieldPath,
    span: &Range<usize>,
    best: &mut Option<(usize, usize, FieldPath)>,
) {
    for (key, value) in table.iter() {
        let kpath = path.key(key.get_ref().as_ref());
        consider(&key.span(), &kpath, span, best);
        visit_value(value, &kpath, span, best);
    }
}

fn visit_value(
    value: &Spanned<DeValue<'_>>,
    path: &FieldPath,
    span: &Range<usize>,
    best: &mut Option<(usize, usize, FieldPath)>,
) {
    consider(&value.span(), path, span, best);
    match value.get_ref() {
        DeValue::Table(t) => visit_table(t, path, span, best),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                visit_value(item, &path.index(i), span, best);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "[scenario]\nname = \"x\"\n\n[[radar]]\nid = \"a\"\n\n[[radar]]\nid = \"b\"\nlat_deg = 95.0\n\n[missile_types.m]\nrcs_rv_m2 = 1.0\n";

    fn root() -> FieldPath {
        FieldPath::root()
    }

    #[test]
    fn a_path_resolves_to_its_value() {
        let doc = DeTable::parse(DOC).unwrap();
        let p = root().key("radar").index(1).key("lat_deg");
        assert_eq!(&DOC[span_of(doc.get_ref(), &p)], "95.0");
        let q = root().key("missile_types").key("m").key("rcs_rv_m2");
        assert_eq!(&DOC[span_of(doc.get_ref(), &q)], "1.0");
    }

    #[test]
    fn an_absent_key_resolves_to_its_table_header() {
        let doc = DeTable::parse(DOC).unwrap();
        let p = root().key("radar").index(0).key("lat_deg");
        let s = span_of(doc.get_ref(), &p);
        assert_eq!(&DOC[s.clone()], "[[radar]]");
        assert_eq!(s.start, DOC.find("[[radar]]").unwrap());
        assert_eq!(span_of(doc.get_ref(), &root().key("raid")), 0..0);
    }

    #[test]
    fn a_span_resolves_to_its_path() {
        let doc = DeTable::parse(DOC).unwrap();
        let at = DOC.find("95.0").unwrap();
        assert_eq!(path_at(doc.get_ref(), &(at..at + 4)).to_string(), "radar[1].lat_deg");
        let key = DOC.find("lat_deg").unwrap();
        assert_eq!(path_at(doc.get_ref(), &(key..key + 7)).to_string(), "radar[1].lat_deg");
        let header = DOC.rfind("[[radar]]").unwrap();
        assert_eq!(path_at(doc.get_ref(), &(header..header + 9)).to_string(), "radar[1]");
        assert_eq!(
            path_at(doc.get_ref(), &(0..0)).to_string(),
            "",
            "[scenario] starts at 0 but 0..0 is the root"
        );
    }
}
