//! User expressions (`predicate`, `expression`, …) are SQL *expressions* parsed against the
//! stage's input: no statements, subqueries, aggregates or window functions.

use datafusion::common::tree_node::TreeNode;
use datafusion::logical_expr::Expr;
use datafusion::prelude::DataFrame;
use datafusion::sql::sqlparser::dialect::GenericDialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use crate::error::{EngineError, EngineResult};

/// How deeply an expression may nest. The parser turns a chain of infix operators (`a + 1 + 1 …`)
/// into a tree as deep as the chain is long, and DataFusion walks trees recursively while it
/// plans and runs them: a chain of a few hundred operators overflows the 2 MiB stack of an engine
/// thread in a debug build (a few thousand in a release build), which aborts the whole node.
/// Width is free: long `IN (…)` lists, many `CASE` branches and function arguments stay allowed.
pub const MAX_EXPRESSION_DEPTH: usize = 100;

/// How many dots a field path (`record.address.city`, `items[1].sku`) may have. The parser tries
/// each dot two ways and backtracks when the path turns out broken (`a.a.a.a…a.`), so its time
/// doubles with each dot: twenty-odd dots already take it seconds, thirty hours.
pub const MAX_PATH_DOTS: usize = 8;

pub fn parse(input: &DataFrame, stage: &str, option: &str, sql: &str) -> EngineResult<Expr> {
    if sql.trim().is_empty() {
        return Err(EngineError::option(stage, option, format!("{option} is empty")));
    }
    // Text the tokenizer rejects passes both bounds: the parser reports it.
    let tokens = Tokenizer::new(&GenericDialect {}, sql).tokenize().unwrap_or_default();
    if longest_path(&tokens) > MAX_PATH_DOTS {
        return Err(EngineError::option(
            stage,
            option,
            format!("{option} has a field path of more than {MAX_PATH_DOTS} dots"),
        ));
    }
    if nesting_bound(&tokens) > MAX_EXPRESSION_DEPTH {
        return Err(EngineError::option(
            stage,
            option,
            format!(
                "{option} nests too deeply: more than {MAX_EXPRESSION_DEPTH} operators in a row; use IN (…) for long lists of alternatives, or split the work across stages"
            ),
        ));
    }
    let expr = input.parse_sql_expr(sql).map_err(|e| {
        let mut err = EngineError::from_datafusion(Some(stage), e);
        err.path = Some(format!("options.{option}"));
        err.message = format!("{option} {sql:?}: {}", err.message);
        err
    })?;
    let forbidden = expr
        .exists(|e| {
            Ok(matches!(
                e,
                Expr::ScalarSubquery(_)
                    | Expr::InSubquery(_)
                    | Expr::Exists(_)
                    | Expr::AggregateFunction(_)
                    | Expr::WindowFunction(_)
            ))
        })
        .unwrap_or(true);
    if forbidden {
        return Err(EngineError::option(
            stage,
            option,
            format!(
                "{option} {sql:?} must be a plain expression over the record's fields (no subqueries, aggregates or window functions)"
            ),
        ));
    }
    Ok(expr)
}

/// An upper bound of the depth of the tree the parser will build, from the tokens alone (so a
/// deep input is refused before anything walks it recursively). Every operator, keyword and
/// bracket counts one level; a comma, `WHEN`, `THEN` or `ELSE` starts a sibling, so the count of
/// its bracket starts again; operands (names, literals) do not count, except names that are
/// also keywords (`id`, `name`): the bound errs on the safe side.
fn nesting_bound(tokens: &[Token]) -> usize {
    // Operators since the last separator: in the innermost open bracket, and in the ones around it.
    let (mut current, mut outer) = (0usize, Vec::new());
    let (mut enclosing, mut deepest) = (0usize, 0usize);
    for token in tokens {
        if opens(token) {
            enclosing += current + 1;
            outer.push(current);
            current = 0;
        } else if closes(token) && !outer.is_empty() {
            let parent = outer.pop().unwrap_or_default();
            enclosing -= parent + 1;
            // The bracketed part is one more level of its parent (`a[1][1]…` chains too).
            current = parent + 1;
        } else if separates(token) {
            current = 0;
        } else if !is_operand(token) {
            current += 1;
        }
        deepest = deepest.max(enclosing + current);
    }
    deepest
}

/// The most dots in one field path: dots between names (keywords too, right after a dot),
/// placeholders (`$name`), indexes and brackets, with no operator, comma or keyword in between.
fn longest_path(tokens: &[Token]) -> usize {
    let (mut dots, mut longest, mut after_dot) = (0usize, 0usize, false);
    for token in tokens {
        match token {
            Token::Whitespace(_) => continue,
            Token::Period => {
                dots += 1;
                longest = longest.max(dots);
            }
            Token::LBracket | Token::RBracket | Token::Placeholder(_) => {}
            Token::Word(_) if after_dot || keyword(token).is_none_or(|k| k == Keyword::NoKeyword) => {}
            token if is_operand(token) => {}
            _ => dots = 0,
        }
        after_dot = *token == Token::Period;
    }
    longest
}

fn keyword(token: &Token) -> Option<Keyword> {
    match token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    }
}

fn opens(token: &Token) -> bool {
    matches!(token, Token::LParen | Token::LBracket | Token::LBrace) || keyword(token) == Some(Keyword::CASE)
}

fn closes(token: &Token) -> bool {
    matches!(token, Token::RParen | Token::RBracket | Token::RBrace) || keyword(token) == Some(Keyword::END)
}

/// A comma, `WHEN`, `THEN` and `ELSE` start a sibling of what came before.
fn separates(token: &Token) -> bool {
    *token == Token::Comma || matches!(keyword(token), Some(Keyword::WHEN | Keyword::THEN | Keyword::ELSE))
}

/// Names, literals and spaces: leaves of the tree, never a level of it.
fn is_operand(token: &Token) -> bool {
    match token {
        Token::Word(w) => {
            w.quote_style.is_some()
                || matches!(w.keyword, Keyword::NoKeyword | Keyword::NULL | Keyword::TRUE | Keyword::FALSE)
        }
        Token::Whitespace(_)
        | Token::EOF
        | Token::Number(..)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::NationalStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::DollarQuotedString(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
