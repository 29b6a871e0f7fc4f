//! Scenario errors that point at a file, a line, a column and a field, and say what would be valid.

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// What kind of problem a [`ScenarioError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read (missing, unreadable).
    Io,
    /// The file is not valid UTF-8.
    NotUtf8,
    /// The text is not valid TOML.
    Syntax,
    /// The TOML does not match the schema: unknown field, wrong type, missing field.
    Schema,
    /// The values break a rule: out of range, unknown reference, duplicate id, inconsistent timing.
    Invalid,
    /// No built-in scenario has the requested name.
    UnknownBuiltin,
}

/// One step of a [`FieldPath`]: a table key or an index into an array of tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// A key of a table, as written in the file (`radar`, `lat_deg`, a missile type name …).
    Key(String),
    /// A 0-based index into an array (`radar[2]`).
    Index(usize),
}

/// Where a value lives in the file, in TOML's own names: `radar[2].lat_deg`, `missile_types.mrbm.rcs_rv_m2`.
///
/// Indices are 0-based and count the `[[radar]]` (etc.) tables in file order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// The empty path (the whole document).
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(PathSegment::Key(key.into()));
        p
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSegment::Index(index));
        p
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }
}

/// Whether a key can be written bare in TOML (`A-Za-z0-9_-`).
fn is_bare_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSegment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "{k:?}")?;
                    }
                }
                PathSegment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem with a scenario, located in its source: the source name (a file path or `builtin:NAME`),
/// the 1-based line and column, the field path, a message and a hint saying what would be valid.
///
/// Loading reports every validation problem it finds: the first is this value and the others are in
/// [`ScenarioError::others`] (ordered by position in the file); [`ScenarioError::all`] iterates over all of
/// them. `Display` shows the first one as `file:line:column: field: message; hint`. As a
/// [`miette::Diagnostic`] it carries the source text, a label on the offending span, the hint as help and
/// the other problems as related diagnostics.
#[derive(Debug, Clone)]
pub struct ScenarioError(Box<Inner>);

/// The parts of a [`ScenarioError`] (boxed to keep `Result`s small).
#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    source_name: String,
    location: Option<Location>,
    field: FieldPath,
    message: String,
    hint: String,
    source_code: Option<NamedSource<Arc<str>>>,
    others: Vec<ScenarioError>,
}

/// A span of the source and its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    span: Range<usize>,
    line: usize,
    column: usize,
}

impl ScenarioError {
    /// A problem without a position in a text (I/O, unknown built-in).
    pub(crate) fn unlocated(
        kind: ErrorKind,
        source_name: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self(Box::new(Inner {
            kind,
            source_name: source_name.to_owned(),
            location: None,
            field: FieldPath::root(),
            message: message.into(),
            hint: hint.into(),
            source_code: None,
            others: Vec::new(),
        }))
    }

    /// A problem at a byte span of `text`.
    pub(crate) fn at(
        kind: ErrorKind,
        source_name: &str,
        text: &Arc<str>,
        span: Range<usize>,
        field: FieldPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let span = clamp_span(text, span);
        let (line, column) = line_column(text, span.start);
        Self(Box::new(Inner {
            kind,
            source_name: source_name.to_owned(),
            location: Some(Location { span, line, column }),
            field,
            message: message.into(),
            hint: hint.into(),
            source_code: Some(NamedSource::new(source_name, Arc::clone(text)).with_language("TOML")),
            others: Vec::new(),
        }))
    }

    /// Gathers several problems into one error, sorted by position; `None` when there are none.
    pub(crate) fn collect(mut errors: Vec<ScenarioError>) -> Option<ScenarioError> {
        errors.sort_by_key(|e| e.0.location.as_ref().map_or((0, 0), |l| (l.span.start, l.span.end)));
        let mut iter = errors.into_iter();
        let mut first = iter.next()?;
        first.0.others.extend(iter);
        Some(first)
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The file path or `builtin:NAME` the scenario came from.
    pub fn source_name(&self) -> &str {
        &self.0.source_name
    }

    /// The 1-based line of the offending text, if the problem has a position.
    pub fn line(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.line)
    }

    /// The 1-based column (counted in characters) of the offending text, if the problem has a position.
    pub fn column(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.column)
    }

    /// The byte span of the offending text, if the problem has a position.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.location.as_ref().map(|l| l.span.clone())
    }

    /// The field path, e.g. `radar[2].lat_deg` (empty for problems with the whole file).
    pub fn field(&self) -> String {
        self.0.field.to_string()
    }

    /// The field path as segments.
    pub fn field_path(&self) -> &FieldPath {
        &self.0.field
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What would be valid.
    pub fn hint(&self) -> &str {
        &self.0.hint
    }

    /// The problems found besides this one.
    pub fn others(&self) -> &[ScenarioError] {
        &self.0.others
    }

    /// This problem followed by the others.
    pub fn all(&self) -> impl Iterator<Item = &ScenarioError> {
        std::iter::once(self).chain(self.0.others.iter())
    }

    /// How many problems were found (at least 1).
    pub fn count(&self) -> usize {
        1 + self.0.others.len()
    }

    /// `file:line:column: field: message; hint` for this problem alone.
    fn headline(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.source_name)?;
        if let Some(l) = &self.0.location {
            write!(f, ":{}:{}", l.line, l.column)?;
        }
        f.write_str(": ")?;
        if !self.0.field.0.is_empty() {
            write!(f, "{}: ", self.0.field)?;
        }
        f.write_str(&self.0.message)?;
        if !self.0.hint.is_empty() {
            write!(f, "; {}", self.0.hint)?;
        }
        Ok(())
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.headline(f)?;
        match self.0.others.len() {
            0 => Ok(()),
            1 => f.write_str(" (and 1 more problem)"),
            n => write!(f, " (and {n} more problems)"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Diagnostic for ScenarioError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self.0.kind {
            ErrorKind::Io => "shieldnet::scenario::io",
            ErrorKind::NotUtf8 => "shieldnet::scenario::not_utf8",
            ErrorKind::Syntax => "shieldnet::scenario::syntax",
            ErrorKind::Schema => "shieldnet::scenario::schema",
            ErrorKind::Invalid => "shieldnet::scenario::invalid",
            ErrorKind::UnknownBuiltin => "shieldnet::scenario::unknown_builtin",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.0.hint.is_empty()).then(|| Box::new(&self.0.hint) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code.as_ref().map(|t| t as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let l = self.0.location.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(Some(self.0.message.clone()), l.span.clone());
        Some(Box::new(std::iter::once(label)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.0.others.is_empty() {
            None
        } else {
            Some(Box::new(self.0.others.iter().map(|e| e as &dyn Diagnostic)))
        }
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..]).chars().count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_can_cross_threads_and_become_miette_reports() {
        fn is_report_ready<T: Diagnostic + Send + Sync + 'static>() {}
        is_report_ready::<ScenarioError>();
        assert!(std::mem::size_of::<ScenarioError>() <= std::mem::size_of::<usize>());
    }

    #[test]
    fn line_column_counts_from_one_and_in_characters() {
        let text = "ab\nKürecik = 1\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 2), (1, 3));
        assert_eq!(line_column(text, 3), (2, 1));
        let eq = text.find('=').unwrap();
        assert_eq!(line_column(text, eq), (2, 9));
        assert_eq!(line_column(text, text.len()), (3, 1));
    }

    #[test]
    fn field_paths_display_in_toml_words() {
        let p = FieldPath::root().key("radar").index(2).key("lat_deg");
        assert_eq!(p.to_string(), "radar[2].lat_deg");
        let q = FieldPath::root().key("missile_types").key("a.b").key("rcs_rv_m2");
        assert_eq!(q.to_string(), "missile_types.\"a.b\".rcs_rv_m2");
    }

    #[test]
    fn display_is_file_line_column_field_message_hint() {
        let text: Arc<str> = Arc::from("x = 1\n[[radar]]\nlat_deg = 95\n");
        let start = text.find("95").unwrap();
        let e = ScenarioError::at(
            ErrorKind::Invalid,
            "scenario.toml",
            &text,
            start..start + 2,
            FieldPath::root().key("radar").index(0).key("lat_deg"),
            "latitude 95 is out of range",
            "expected a value in [-90, 90] degrees",
        );
        assert_eq!(
            e.to_string(),
            "scenario.toml:3:11: radar[0].lat_deg: latitude 95 is out of range; \
             expected a value in [-90, 90] degrees"
        );
        let two = ScenarioError::collect(vec![e.clone(), e]).unwrap();
        assert!(two.to_string().ends_with("(and 1 more problem)"), "{two}");
        assert_eq!(two.count(), 2);
    }
}
