//! The small expression language of `constraint`, `subject_to` and expression metrics.
//!
//! `rate / instances <= 200`, `p99_ms <= 200 and errors_502 == 0`, `policy != "simple 300 s"`,
//! `max(interval, 5) * threshold`. Numbers (`200`, `0.5`, `1e3`), text in `"…"` or `'…'`,
//! `true`/`false`, variables (parameter and metric names), `+ - * / %` on numbers, unary `-`,
//! comparisons `== != < <= > >=` (numbers with numbers, text with text), `and or not` (also
//! `&& || !`), parentheses and the functions `min`, `max`, `abs`, `sqrt`, `ln`, `log10`, `floor`,
//! `ceil`. Precedence, loosest first: `or`, `and`, `not`, comparisons (which do not chain),
//! `+ -`, `* / %`, unary `-`.
//!
//! Hand-written (a recursive-descent parser and a tree walk) rather than a crate: `evalexpr` is
//! AGPL-3.0-only, `exmex` has no boolean logic, `rhai` is a whole scripting engine.

mod eval;
mod parse;
mod tokens;

/// A parsed expression; [`Expr::eval`] gives its value for given variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The text as written (errors quote parts of it).
    text: String,
    /// Its syntax tree.
    root: Node,
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

/// One node of the syntax tree, with the byte span of the text it was read from.
#[derive(Clone, Debug, PartialEq)]
struct Node {
    kind: NodeKind,
    /// Byte offsets of its text in [`Expr::text`] (start inclusive, end exclusive).
    span: (usize, usize),
}

/// What a node computes.
#[derive(Clone, Debug, PartialEq)]
enum NodeKind {
    Number(f64),
    Text(String),
    Bool(bool),
    Variable(String),
    Negate(Box<Node>),
    Not(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    /// How the operator is written (the spelling errors use).
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    Min,
    Max,
    Abs,
    Sqrt,
    Ln,
    Log10,
    Floor,
    Ceil,
}

impl Func {
    /// Every function, in the order error messages list them.
    const ALL: [Func; 8] = [
        Func::Min,
        Func::Max,
        Func::Abs,
        Func::Sqrt,
        Func::Ln,
        Func::Log10,
        Func::Floor,
        Func::Ceil,
    ];

    /// Its name as written.
    fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Sqrt => "sqrt",
            Func::Ln => "ln",
            Func::Log10 => "log10",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
        }
    }

    /// The function called `name`, if any.
    fn named(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether it takes any number (at least one) of arguments rather than exactly one.
    fn variadic(self) -> bool {
        matches!(self, Func::Min | Func::Max)
    }
}

/// Words the language reserves: they cannot name a variable.
pub const KEYWORDS: [&str; 5] = ["and", "or", "not", "true", "false"];

impl Expr {
    /// Parses `text`; the error says where and what was expected
    /// (`at column 7: expected a value after '<=', got end of text`).
    pub fn parse(text: &str) -> Result<Expr, String> {
        let root = parse::parse(text)?;
        Ok(Expr {
            text: text.to_string(),
            root,
        })
    }

    /// The names of the variables it uses, each once, in order of first use.
    pub fn variables(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        collect_variables(&self.root, &mut names);
        names
    }

    /// Its value, with `var` giving each variable's value (`None`: unknown name, reported as
    /// `unknown name 'rte'`; the caller may append what is known).
    pub fn eval(&self, var: &dyn Fn(&str) -> Option<Val>) -> Result<Val, String> {
        eval::eval(&self.text, &self.root, var)
    }

    /// The text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Val {
    /// What kind of value it is, in a user's words (`a number`, `text`, `true or false`).
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Number(_) => "a number",
            Val::Text(_) => "text",
            Val::Bool(_) => "true or false",
        }
    }
}

fn collect_variables<'a>(node: &'a Node, names: &mut Vec<&'a str>) {
    match &node.kind {
        NodeKind::Variable(name) => {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        NodeKind::Negate(inner) | NodeKind::Not(inner) => collect_variables(inner, names),
        NodeKind::Binary(_, left, right) => {
            collect_variables(left, names);
            collect_variables(right, names);
        }
        NodeKind::Call(_, args) => args.iter().for_each(|a| collect_variables(a, names)),
        NodeKind::Number(_) | NodeKind::Text(_) | NodeKind::Bool(_) => {}
    }
}

#[cfg(test)]
mod tests;
