//! Parsing: the `cel` crate's parser (the ANTLR grammar of cel-go, with its macro expansion),
//! converted into this engine's own tree.
//!
//! The `cel` crate's parser is used as is: its AST is cel-go's (comprehensions with a second
//! iteration variable, optional selection and indexing, backtick identifiers), and its errors
//! are cel-go's (`ERROR: <input>:1:5: ...`). Its interpreter is not used (see [`super`]).
//!
//! The crate expands only the standard macros (`has`, `all`, `exists`, `exists_one`, `map`,
//! `filter`). The macros of the libraries the apiserver adds (the three-argument `all`,
//! `exists`, `existsOne`, `transformList`, `transformMap`, `transformMapEntry`, `sortBy`,
//! `optMap`, `optFlatMap`) reach us as plain calls, and [`super::check`] and [`super::eval`]
//! treat them as the macros they are (their first arguments are variable names).

use cel::common::ast::{EntryExpr, Expr as CelExpr, IdedExpr, LiteralValue};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Parser limits of the apiserver's environment (`cel-go/parser.NewParser` defaults).
const MAX_RECURSION_DEPTH: u16 = 250;
/// The stack the parser runs on.
const PARSER_STACK: usize = 256 << 20;
/// Longest source the apiserver's parser accepts, in code points.
const MAX_CODE_POINTS: usize = 100_000;

/// A parsed rule: its tree and where each node sits in the source.
#[derive(Debug, Clone)]
pub struct Ast {
    /// The root expression.
    pub expr: Expr,
    /// The source text.
    pub source: Arc<str>,
    offsets: Arc<HashMap<u64, u32>>,
}

impl Ast {
    /// The `(line, column)` (1-based line, 1-based column in code points) of node `id`, as
    /// cel-go prints it.
    pub fn position(&self, id: u64) -> (usize, usize) {
        let offset = self.offsets.get(&id).copied().unwrap_or(0) as usize;
        position_of(&self.source, offset)
    }
}

fn position_of(source: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in source.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// One node of a parsed rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// The node's id (positions are looked up by it).
    pub id: u64,
    /// What the node is.
    pub kind: ExprKind,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Literal(Literal),
    /// A variable.
    Ident(String),
    /// `operand.field`; `test` for `has(operand.field)`.
    Select {
        /// The operand.
        operand: Box<Expr>,
        /// The field name as written (escaped names stay escaped).
        field: String,
        /// A presence test (`has()`).
        test: bool,
    },
    /// A function or operator call (`_+_`, `size`, `s.startsWith`, ...).
    Call {
        /// The function name.
        function: String,
        /// The receiver of a member call.
        target: Option<Box<Expr>>,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// A list literal; `optional` holds the indices of `?e` elements.
    List {
        /// The elements.
        elements: Vec<Expr>,
        /// Indices of optional elements.
        optional: Vec<usize>,
    },
    /// A map literal: `(key, value, optional)` entries.
    Map(Vec<(Expr, Expr, bool)>),
    /// A message literal (`Type{f: v}`); the CRD environment declares no message types.
    Struct(String),
    /// A comprehension (the expansion of a standard macro).
    Comprehension(Box<Comprehension>),
}

/// A comprehension, as cel-go expands `all`, `exists`, `exists_one`, `map` and `filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    /// What is iterated.
    pub range: Expr,
    /// The iteration variable.
    pub var: String,
    /// The second iteration variable (two-variable comprehensions).
    pub var2: Option<String>,
    /// The accumulator variable.
    pub accu: String,
    /// The accumulator's initial value.
    pub init: Expr,
    /// The loop condition.
    pub cond: Expr,
    /// The step.
    pub step: Expr,
    /// The result.
    pub result: Expr,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true`, `false`.
    Bool(bool),
    /// `1`.
    Int(i64),
    /// `1u`.
    Uint(u64),
    /// `1.0`.
    Double(f64),
    /// `'a'`.
    String(Arc<str>),
    /// `b'a'`.
    Bytes(Arc<[u8]>),
}

/// A rule that does not parse, with cel-go's text (`ERROR: <input>:1:3: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// Parses a rule with the apiserver's parser options (optional syntax, backtick identifiers,
/// recursion depth 250, 100,000 code points).
pub fn parse(source: &str) -> Result<Ast, ParseError> {
    let code_points = source.chars().count();
    if code_points > MAX_CODE_POINTS {
        return Err(ParseError(format!(
            "ERROR: <input>:-1:0: expression code point size exceeds limit: size: {code_points}, limit {MAX_CODE_POINTS}"
        )));
    }
    let parser = cel::parser::Parser::new()
        .max_recursion_depth(MAX_RECURSION_DEPTH)
        .enable_optional_syntax(true)
        .enable_ident_escape_syntax(true);
    // The ANTLR runtime has panicked on some inputs in the past: a panic is a parse error here,
    // never a crash of the caller.
    // The ANTLR parser recurses deeply (a few hundred frames per nesting level in a debug
    // build): it runs on a stack of its own, large enough for the depth limit of 250.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stacker::grow(PARSER_STACK, || parser.parse_with_source_info(source)).map_err(|errors| {
            errors
                .errors
                .iter()
                .map(|e| display_error(source, e.pos, &e.msg))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }));
    let (expr, info) = match parsed {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(text)) => return Err(ParseError(text)),
        Err(_) => {
            return Err(ParseError(
                "ERROR: <input>:1:1: internal parser error".into(),
            ))
        }
    };
    let mut offsets = HashMap::new();
    let expr = convert(expr, &info, &mut offsets);
    Ok(Ast {
        expr,
        source: Arc::from(source),
        offsets: Arc::new(offsets),
    })
}

/// cel-go's error display: the message, then the source line and a caret.
pub(crate) fn display_error(source: &str, (line, column): (isize, isize), msg: &str) -> String {
    let mut out = format!("ERROR: <input>:{line}:{column}: {msg}");
    if line >= 1 {
        if let Some(text) = source.lines().nth(line as usize - 1) {
            out.push_str("\n | ");
            out.push_str(text);
            out.push_str("\n | ");
            for _ in 1..column.max(1) {
                out.push('.');
            }
            out.push('^');
        }
    }
    out
}

fn convert(
    e: IdedExpr,
    info: &cel::common::ast::SourceInfo,
    offsets: &mut HashMap<u64, u32>,
) -> Expr {
    stacker::maybe_grow(RED_ZONE, NEW_STACK, || convert_node(e, info, offsets))
}

/// Deep trees recurse on a grown stack: `maybe_grow` adds a segment when less than this is left.
pub(crate) const RED_ZONE: usize = 256 << 10;
/// The size of each added stack segment.
pub(crate) const NEW_STACK: usize = 8 << 20;

fn convert_node(
    e: IdedExpr,
    info: &cel::common::ast::SourceInfo,
    offsets: &mut HashMap<u64, u32>,
) -> Expr {
    if let Some((start, _)) = info.offset_for(e.id) {
        offsets.insert(e.id, start);
    }
    let mut sub = |e: IdedExpr| convert(e, info, offsets);
    let kind = match e.expr {
        CelExpr::Unspecified => ExprKind::Literal(Literal::Null),
        CelExpr::Literal(l) => ExprKind::Literal(match l {
            LiteralValue::Null => Literal::Null,
            LiteralValue::Boolean(b) => Literal::Bool(*b.inner()),
            LiteralValue::Int(i) => Literal::Int(*i.inner()),
            LiteralValue::UInt(u) => Literal::Uint(*u.inner()),
            LiteralValue::Double(d) => Literal::Double(*d.inner()),
            LiteralValue::String(s) => Literal::String(Arc::from(s.inner())),
            LiteralValue::Bytes(b) => Literal::Bytes(Arc::from(b.inner())),
        }),
        CelExpr::Ident(name) => ExprKind::Ident(name),
        CelExpr::Select(s) => ExprKind::Select {
            operand: Box::new(sub(*s.operand)),
            field: s.field,
            test: s.test,
        },
        CelExpr::Call(c) => ExprKind::Call {
            function: c.func_name,
            target: c.target.map(|t| Box::new(sub(*t))),
            args: c.args.into_iter().map(&mut sub).collect(),
        },
        CelExpr::List(l) => ExprKind::List {
            elements: l.elements.into_iter().map(&mut sub).collect(),
            optional: l.optional_indices,
        },
        CelExpr::Map(m) => ExprKind::Map(
            m.entries
                .into_iter()
                .filter_map(|entry| match entry.expr {
                    EntryExpr::MapEntry(me) => Some((sub(me.key), sub(me.value), me.optional)),
                    EntryExpr::StructField(_) => None,
                })
                .collect(),
        ),
        CelExpr::Struct(s) => ExprKind::Struct(s.type_name),
        CelExpr::Comprehension(c) => {
            let c = *c;
            ExprKind::Comprehension(Box::new(Comprehension {
                range: sub(c.iter_range),
                var: c.iter_var,
                var2: c.iter_var2,
                accu: c.accu_var,
                init: sub(c.accu_init),
                cond: sub(c.loop_cond),
                step: sub(c.loop_step),
                result: sub(c.result),
            }))
        }
    };
    Expr { id: e.id, kind }
}
