//! (being written) The expression language of `constraint`, `subject_to` and expression metrics.

/// A parsed expression (stub: the helper writing `expr.rs` replaces this file).
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    text: String,
}

/// A value an expression works with.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A number (every numeric parameter and metric).
    Number(f64),
    /// Text (a case's name, a text parameter's value).
    Text(String),
    /// The result of a comparison.
    Bool(bool),
}

impl Expr {
    /// Parses `text`; the error says where and what was expected.
    pub fn parse(text: &str) -> Result<Expr, String> {
        Ok(Expr { text: text.into() })
    }

    /// The names of the variables it uses, each once, in order of first use.
    pub fn variables(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Its value, with `var` giving each variable's value (`None`: unknown name).
    pub fn eval(&self, var: &dyn Fn(&str) -> Option<Val>) -> Result<Val, String> {
        let _ = var;
        Err(format!("not written yet: {}", self.text))
    }
}
