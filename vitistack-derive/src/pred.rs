//! The small condition language of `#[viti(rule(when = "...", then = "..."))]`, a CEL subset:
//!
//! ```text
//! pred := "!" pred | "has(" path ")" | path "==" literal | path "in" "[" literal ("," literal)* "]"
//! literal := 'text' | "text" | true | false | integer
//! ```
//!
//! Parsed at compile time, so a typo is an error at the attribute, not a rejected CRD.

/// A parsed condition.
pub enum Pred {
    Has(String),
    Eq(String, Literal),
    In(String, Vec<Literal>),
    Not(Box<Pred>),
}

/// A literal in a condition.
pub enum Literal {
    Str(String),
    Bool(bool),
    Int(i64),
}

impl Pred {
    /// Every field path the condition reads.
    pub fn paths(&self) -> Vec<&str> {
        match self {
            Pred::Has(p) | Pred::Eq(p, _) | Pred::In(p, _) => vec![p.as_str()],
            Pred::Not(inner) => inner.paths(),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

/// Parses a condition.
pub fn parse(text: &str) -> Result<Pred, String> {
    let mut p = Parser { text, pos: 0 };
    let pred = p.pred()?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(format!("unexpected `{}` in condition", &text[p.pos..]));
    }
    Ok(pred)
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected `{token}` at `{}`", self.rest()))
        }
    }

    fn pred(&mut self) -> Result<Pred, String> {
        if self.eat("!") {
            return Ok(Pred::Not(Box::new(self.pred()?)));
        }
        if self.eat("has(") {
            let path = self.path()?;
            self.expect(")")?;
            return Ok(Pred::Has(path));
        }
        let path = self.path()?;
        if self.eat("==") {
            return Ok(Pred::Eq(path, self.literal()?));
        }
        if self.eat("in") {
            self.expect("[")?;
            let mut values = vec![self.literal()?];
            while self.eat(",") {
                values.push(self.literal()?);
            }
            self.expect("]")?;
            return Ok(Pred::In(path, values));
        }
        Err(format!("expected `==` or `in` after `{path}`"))
    }

    fn path(&mut self) -> Result<String, String> {
        self.skip_ws();
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(self.rest().len());
        let path = self.rest()[..len].to_string();
        let valid = !path.is_empty()
            && path.split('.').all(|s| {
                s.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            });
        if !valid {
            return Err(format!(
                "expected a field path such as `ipam.type` at `{}`",
                self.rest()
            ));
        }
        self.pos += len;
        Ok(path)
    }

    fn literal(&mut self) -> Result<Literal, String> {
        self.skip_ws();
        for (word, value) in [("true", true), ("false", false)] {
            if self.eat(word) {
                return Ok(Literal::Bool(value));
            }
        }
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let end = rest[1..].find(quote).ok_or("unterminated string literal")?;
            let value = rest[1..1 + end].to_string();
            self.pos += end + 2;
            return Ok(Literal::Str(value));
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        let n = rest[..len].parse::<i64>().map_err(|_| {
            format!("expected a literal ('text', true, false or an integer) at `{rest}`")
        })?;
        self.pos += len;
        Ok(Literal::Int(n))
    }
}
