//! Tokens into a syntax tree: a recursive-descent parser, one function per
//! precedence level.

use super::tokens::{Tok, Token, column, tokenize};
use super::{BinOp, Func, Node, NodeKind};

/// Parses a whole expression.
pub(super) fn parse(text: &str) -> Result<Node, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        text,
        tokens,
        at: 0,
    };
    if parser.peek().kind == Tok::End {
        return Err("the expression is empty".to_string());
    }
    let node = parser.or()?;
    let next = parser.peek().clone();
    if next.kind != Tok::End {
        return Err(parser.error_at(
            &next,
            format!(
                "expected an operator or the end of the expression, got {}",
                parser.describe(&next)
            ),
        ));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != Tok::End {
            self.at += 1;
        }
        token
    }

    fn eat(&mut self, sym: &str) -> Option<Token> {
        if matches!(&self.peek().kind, Tok::Sym(s) if *s == sym) {
            Some(self.advance())
        } else {
            None
        }
    }

    fn error_at(&self, token: &Token, message: String) -> String {
        format!("at column {}: {message}", column(self.text, token.span.0))
    }

    fn describe(&self, token: &Token) -> String {
        match &token.kind {
            Tok::End => "end of text".to_string(),
            _ => format!("'{}'", &self.text[token.span.0..token.span.1]),
        }
    }

    fn binary(op: BinOp, left: Node, right: Node) -> Node {
        let span = (left.span.0, right.span.1);
        Node {
            kind: NodeKind::Binary(op, Box::new(left), Box::new(right)),
            span,
        }
    }

    fn or(&mut self) -> Result<Node, String> {
        let mut left = self.and()?;
        while let Some(op) = self.eat("or") {
            let right = self.operand_after(&op, Self::and)?;
            left = Self::binary(BinOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut left = self.not()?;
        while let Some(op) = self.eat("and") {
            let right = self.operand_after(&op, Self::not)?;
            left = Self::binary(BinOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, String> {
        if let Some(op) = self.eat("not") {
            let inner = self.operand_after(&op, Self::not)?;
            let span = (op.span.0, inner.span.1);
            return Ok(Node {
                kind: NodeKind::Not(Box::new(inner)),
                span,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Node, String> {
        let left = self.additive()?;
        let Some((op, token)) = self.comparison_op() else {
            return Ok(left);
        };
        let right = self.operand_after(&token, Self::additive)?;
        if let Some((_, again)) = self.comparison_op() {
            return Err(self.error_at(
                &again,
                format!(
                    "comparisons do not chain: join them with 'and' (as in 'a < b and b {} c')",
                    self.describe(&again).trim_matches('\'')
                ),
            ));
        }
        Ok(Self::binary(op, left, right))
    }

    fn comparison_op(&mut self) -> Option<(BinOp, Token)> {
        let op = match self.peek().kind {
            Tok::Sym("==") => BinOp::Eq,
            Tok::Sym("!=") => BinOp::Ne,
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            _ => return None,
        };
        Some((op, self.advance()))
    }

    fn additive(&mut self) -> Result<Node, String> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek().kind {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(left),
            };
            let token = self.advance();
            let right = self.operand_after(&token, Self::multiplicative)?;
            left = Self::binary(op, left, right);
        }
    }

    fn multiplicative(&mut self) -> Result<Node, String> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek().kind {
                Tok::Sym("*") => BinOp::Mul,
                Tok::Sym("/") => BinOp::Div,
                Tok::Sym("%") => BinOp::Rem,
                _ => return Ok(left),
            };
            let token = self.advance();
            let right = self.operand_after(&token, Self::unary)?;
            left = Self::binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Node, String> {
        if let Some(op) = self.eat("-") {
            let inner = self.operand_after(&op, Self::unary)?;
            let span = (op.span.0, inner.span.1);
            return Ok(Node {
                kind: NodeKind::Negate(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    /// The operand after operator `op`, read by `level`; a missing one is reported naming `op`.
    fn operand_after(
        &mut self,
        op: &Token,
        level: fn(&mut Self) -> Result<Node, String>,
    ) -> Result<Node, String> {
        if !self.starts_value() {
            let next = self.peek().clone();
            return Err(self.error_at(
                &next,
                format!(
                    "expected a value after {}, got {}",
                    self.describe(op),
                    self.describe(&next)
                ),
            ));
        }
        level(self)
    }

    /// Whether the next token can begin a value.
    fn starts_value(&self) -> bool {
        match &self.peek().kind {
            Tok::Number(_) | Tok::Text(_) | Tok::Ident(_) => true,
            Tok::Sym(s) => matches!(*s, "(" | "-" | "not"),
            Tok::End => false,
        }
    }

    fn primary(&mut self) -> Result<Node, String> {
        let token = self.advance();
        let kind = match &token.kind {
            Tok::Number(n) => NodeKind::Number(*n),
            Tok::Text(t) => NodeKind::Text(t.clone()),
            Tok::Ident(word) if word == "true" => NodeKind::Bool(true),
            Tok::Ident(word) if word == "false" => NodeKind::Bool(false),
            Tok::Ident(word) => {
                if self.peek().kind == Tok::Sym("(") {
                    return self.call(&token, word);
                }
                NodeKind::Variable(word.clone())
            }
            Tok::Sym("(") => {
                let mut inner = self.or()?;
                let close = self.expect_close(&token, "(")?;
                inner.span = (token.span.0, close.span.1);
                return Ok(inner);
            }
            _ => {
                let message = format!("expected a value, got {}", self.describe(&token));
                return Err(self.error_at(&token, message));
            }
        };
        Ok(Node {
            kind,
            span: token.span,
        })
    }

    fn expect_close(&mut self, open: &Token, what: &str) -> Result<Token, String> {
        if let Some(close) = self.eat(")") {
            return Ok(close);
        }
        let next = self.peek().clone();
        Err(self.error_at(
            &next,
            format!(
                "expected ')' to close the '{what}' at column {}, got {}",
                column(self.text, open.span.0),
                self.describe(&next)
            ),
        ))
    }

    fn call(&mut self, name: &Token, word: &str) -> Result<Node, String> {
        let Some(func) = Func::named(word) else {
            let known: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
            return Err(self.error_at(
                name,
                format!("unknown function '{word}'; known: {}", known.join(", ")),
            ));
        };
        self.advance();
        let mut args = Vec::new();
        if self.peek().kind != Tok::Sym(")") {
            loop {
                let separator = self.tokens[self.at - 1].clone();
                args.push(self.operand_after(&separator, Self::or)?);
                if self.eat(",").is_none() {
                    break;
                }
            }
        }
        let close = self.expect_close(name, &format!("{word}("))?;
        let wanted_one = !func.variadic();
        if (wanted_one && args.len() != 1) || args.is_empty() {
            let wanted = if wanted_one {
                "exactly one value"
            } else {
                "at least one value"
            };
            return Err(self.error_at(name, format!("{word}() takes {wanted}, got {}", args.len())));
        }
        Ok(Node {
            kind: NodeKind::Call(func, args),
            span: (name.span.0, close.span.1),
        })
    }
}
