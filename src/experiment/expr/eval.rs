//! A syntax tree's value: a tree walk; errors quote the part of the text at fault.

use super::{BinOp, Func, Node, NodeKind, Val};

/// The value of `node` (parsed from `text`), variables from `var`.
pub(super) fn eval(
    text: &str,
    node: &Node,
    var: &dyn Fn(&str) -> Option<Val>,
) -> Result<Val, String> {
    Walker { text, var }.value(node)
}

struct Walker<'a> {
    text: &'a str,
    var: &'a dyn Fn(&str) -> Option<Val>,
}

impl Walker<'_> {
    /// The text of `node`, quoted: `'rate'`, `'rate / instances'`.
    fn quote(&self, node: &Node) -> String {
        format!("'{}'", self.text[node.span.0..node.span.1].trim())
    }

    fn value(&self, node: &Node) -> Result<Val, String> {
        match &node.kind {
            NodeKind::Number(n) => Ok(Val::Number(*n)),
            NodeKind::Text(t) => Ok(Val::Text(t.clone())),
            NodeKind::Bool(b) => Ok(Val::Bool(*b)),
            NodeKind::Variable(name) => {
                (self.var)(name).ok_or_else(|| format!("unknown name '{name}'"))
            }
            NodeKind::Negate(inner) => Ok(Val::Number(-self.number(inner, "'-'")?)),
            NodeKind::Not(inner) => Ok(Val::Bool(!self.boolean(inner, "'not'")?)),
            NodeKind::Binary(op, left, right) => self.binary(node, *op, left, right),
            NodeKind::Call(func, args) => self.call(node, *func, args),
        }
    }

    fn number(&self, node: &Node, needed_by: &str) -> Result<f64, String> {
        match self.value(node)? {
            Val::Number(n) => Ok(n),
            other => Err(format!(
                "{} is {}: {needed_by} needs numbers",
                self.quote(node),
                other.kind()
            )),
        }
    }

    fn boolean(&self, node: &Node, needed_by: &str) -> Result<bool, String> {
        match self.value(node)? {
            Val::Bool(b) => Ok(b),
            other => Err(format!(
                "{} is {}: {needed_by} needs true or false (a comparison)",
                self.quote(node),
                other.kind()
            )),
        }
    }

    fn binary(&self, node: &Node, op: BinOp, left: &Node, right: &Node) -> Result<Val, String> {
        let symbol = format!("'{}'", op.symbol());
        match op {
            BinOp::And => Ok(Val::Bool(
                self.boolean(left, &symbol)? && self.boolean(right, &symbol)?,
            )),
            BinOp::Or => Ok(Val::Bool(
                self.boolean(left, &symbol)? || self.boolean(right, &symbol)?,
            )),
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                let a = self.number(left, &symbol)?;
                let b = self.number(right, &symbol)?;
                if matches!(op, BinOp::Div | BinOp::Rem) && b == 0.0 {
                    return Err(format!(
                        "division by zero in {}: {} is 0",
                        self.quote(node),
                        self.quote(right)
                    ));
                }
                let result = match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    _ => a % b,
                };
                self.finite(node, result)
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.compare(op, left, right)
            }
        }
    }

    fn compare(&self, op: BinOp, left: &Node, right: &Node) -> Result<Val, String> {
        let a = self.value(left)?;
        let b = self.value(right)?;
        let ordering = match (&a, &b) {
            (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
            (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
            (Val::Bool(x), Val::Bool(y)) if matches!(op, BinOp::Eq | BinOp::Ne) => Some(x.cmp(y)),
            (Val::Bool(_), Val::Bool(_)) => {
                return Err(format!(
                    "{} and {} are true or false: '{}' needs numbers or text",
                    self.quote(left),
                    self.quote(right),
                    op.symbol()
                ));
            }
            _ => {
                return Err(format!(
                    "{} is {}, {} is {}: cannot compare them",
                    self.quote(left),
                    a.kind(),
                    self.quote(right),
                    b.kind()
                ));
            }
        };
        use std::cmp::Ordering::{Equal, Greater, Less};
        let holds = match (op, ordering) {
            (BinOp::Eq, o) => o == Some(Equal),
            (BinOp::Ne, o) => o != Some(Equal),
            (BinOp::Lt, o) => o == Some(Less),
            (BinOp::Le, o) => matches!(o, Some(Less | Equal)),
            (BinOp::Gt, o) => o == Some(Greater),
            (_, o) => matches!(o, Some(Greater | Equal)),
        };
        Ok(Val::Bool(holds))
    }

    fn call(&self, node: &Node, func: Func, args: &[Node]) -> Result<Val, String> {
        let needed_by = format!("{}()", func.name());
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.number(arg, &needed_by)?);
        }
        let x = values[0];
        let domain = |ok: bool, wanted: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{} needs {wanted}, got {x} in {}",
                    needed_by,
                    self.quote(node)
                ))
            }
        };
        let result = match func {
            Func::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
            Func::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Func::Abs => x.abs(),
            Func::Sqrt => {
                domain(x >= 0.0, "a number ≥ 0")?;
                x.sqrt()
            }
            Func::Ln => {
                domain(x > 0.0, "a number > 0")?;
                x.ln()
            }
            Func::Log10 => {
                domain(x > 0.0, "a number > 0")?;
                x.log10()
            }
            Func::Floor => x.floor(),
            Func::Ceil => x.ceil(),
        };
        self.finite(node, result)
    }

    /// `value`, unless it overflowed (an infinite or undefined result is an error).
    fn finite(&self, node: &Node, value: f64) -> Result<Val, String> {
        if value.is_finite() {
            Ok(Val::Number(value))
        } else {
            Err(format!(
                "{} is too large a number ({value})",
                self.quote(node)
            ))
        }
    }
}
