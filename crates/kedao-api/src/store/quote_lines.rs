//! Quote lines: from what a client sent (a product or free text) to checked, priced and stored
//! lines. All arithmetic is `kedao_domain::quote::price_quote`; this module only fills in the
//! product's defaults and converts to and from storage integers.

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use kedao_api_types::quotes::{QuoteLineInput, QuoteLineView};
use kedao_domain::Currency;
use kedao_domain::money::{Money, decimal_to_storage};
use kedao_domain::quote::{LineInput, QuoteTotals, price_quote};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::quote_lines::{self as entity, Column};
use crate::store::fields::required;
use crate::store::new_id;
use crate::store::products::{self, bp_to_percent, currency_of, percent_to_bp};

/// Longest line description, in characters.
const DESCRIPTION_MAX: usize = 500;

/// A line ready to store: what it describes and the inputs it was priced from.
#[derive(Debug, Clone)]
pub struct CheckedLine {
    pub product_id: Option<Uuid>,
    pub description: String,
    pub input: LineInput,
}

fn field(i: usize, name: &str) -> String {
    format!("lines[{i}].{name}")
}

/// Fills in product defaults, checks every line and prices the quote. Errors name the line:
/// `lines[1].quantity`.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    inputs: &[QuoteLineInput],
    currency: Currency,
) -> Result<(Vec<CheckedLine>, QuoteTotals), ApiError> {
    if inputs.is_empty() {
        return Err(ApiError::field(
            "lines",
            "required",
            "a quote has at least one line",
        ));
    }
    let mut lines = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        lines.push(check_one(db, principal, i, input, currency).await?);
    }
    let priced: Vec<LineInput> = lines.iter().map(|l| l.input.clone()).collect();
    let totals = price_quote(&priced, currency)
        .map_err(|(i, e)| rule(&field(i, e.field), "invalid", e.message))?;
    Ok((lines, totals))
}

async fn check_one<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    i: usize,
    input: &QuoteLineInput,
    currency: Currency,
) -> Result<CheckedLine, ApiError> {
    let (description, unit_price, tax) = match input.product_id {
        Some(id) => {
            let product = match products::find(db, principal, id).await {
                Err(ApiError::NotFound(_)) => {
                    return Err(ApiError::field(
                        field(i, "product_id"),
                        "unknown-product",
                        "no product has this id",
                    ));
                }
                other => other?,
            };
            if !product.active {
                return Err(ApiError::field(
                    field(i, "product_id"),
                    "inactive-product",
                    "the product is no longer sold",
                ));
            }
            let product_currency = currency_of(&product.currency);
            // A list price is only a default in its own currency; converting would need a rate
            // the CRM does not keep.
            let price = match input.unit_price {
                Some(p) => p,
                None if product_currency == currency => {
                    Money::from_storage(product.list_price, currency).amount()
                }
                None => {
                    return Err(ApiError::field(
                        field(i, "unit_price"),
                        "required",
                        format!(
                            "the product is priced in {product_currency}; give a price in {currency}"
                        ),
                    ));
                }
            };
            (
                input.description.clone().unwrap_or(product.name),
                price,
                input
                    .tax_rate_percent
                    .unwrap_or_else(|| bp_to_percent(product.tax_rate_bp)),
            )
        }
        None => {
            let description = input.description.clone().ok_or_else(|| {
                ApiError::field(
                    field(i, "description"),
                    "required",
                    "a line without a product needs a description",
                )
            })?;
            let price = input.unit_price.ok_or_else(|| {
                ApiError::field(
                    field(i, "unit_price"),
                    "required",
                    "a line without a product needs a unit price",
                )
            })?;
            (
                description,
                price,
                input.tax_rate_percent.unwrap_or_default(),
            )
        }
    };
    Ok(CheckedLine {
        product_id: input.product_id,
        description: required(&description, DESCRIPTION_MAX, &field(i, "description"))?,
        input: LineInput {
            quantity: input.quantity,
            unit_price,
            discount_percent: input.discount_percent.unwrap_or_default(),
            tax_rate_percent: tax,
        },
    })
}

/// A checked figure as its storage integer; the domain's limits keep every one in range.
pub fn units(amount: Decimal) -> Result<i64, ApiError> {
    decimal_to_storage(amount).map_err(|e| ApiError::Internal(anyhow::Error::new(e)))
}

/// A checked percentage as basis points.
pub fn bp(percent: Decimal) -> Result<i32, ApiError> {
    percent_to_bp(percent)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unchecked percentage {percent}")))
}

/// Stores the lines of a quote with their figures, in order.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    quote_id: Uuid,
    lines: &[CheckedLine],
    totals: &QuoteTotals,
) -> Result<Vec<entity::Model>, ApiError> {
    let mut saved = Vec::with_capacity(lines.len());
    for (position, (line, figures)) in lines.iter().zip(&totals.lines).enumerate() {
        let model = entity::ActiveModel {
            id: Set(new_id()),
            quote_id: Set(quote_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            product_id: Set(line.product_id),
            description: Set(line.description.clone()),
            quantity: Set(units(line.input.quantity)?),
            unit_price: Set(units(line.input.unit_price)?),
            discount_bp: Set(bp(line.input.discount_percent)?),
            tax_rate_bp: Set(bp(line.input.tax_rate_percent)?),
            gross: Set(units(figures.gross)?),
            discount: Set(units(figures.discount)?),
            net: Set(units(figures.net)?),
            tax: Set(units(figures.tax)?),
            total: Set(units(figures.total)?),
        };
        saved.push(model.insert(db).await?);
    }
    Ok(saved)
}

/// Copies stored lines to another quote (a new revision) unchanged.
pub async fn copy<C: ConnectionTrait>(
    db: &C,
    lines: &[entity::Model],
    quote_id: Uuid,
) -> Result<Vec<entity::Model>, ApiError> {
    let mut saved = Vec::with_capacity(lines.len());
    for line in lines {
        let mut model: entity::ActiveModel = line.clone().into();
        model.id = Set(new_id());
        model.quote_id = Set(quote_id);
        saved.push(model.insert(db).await?);
    }
    Ok(saved)
}

/// The lines of the given quotes, in order.
pub async fn of<C: ConnectionTrait>(
    db: &C,
    quote_ids: Vec<Uuid>,
) -> Result<Vec<entity::Model>, ApiError> {
    if quote_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entity::Entity::find()
        .filter(Column::QuoteId.is_in(quote_ids))
        .order_by_asc(Column::QuoteId)
        .order_by_asc(Column::Position)
        .all(db)
        .await?)
}

pub async fn delete_of<C: ConnectionTrait>(db: &C, quote_id: Uuid) -> Result<(), ApiError> {
    entity::Entity::delete_many()
        .filter(Column::QuoteId.eq(quote_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A stored quantity or unit price: as many decimals as it has, at least the currency's.
fn exact(units: i64, min_places: u32) -> Decimal {
    let mut d = Decimal::new(units, 4).normalize();
    if d.scale() < min_places {
        d.rescale(min_places);
    }
    d
}

pub fn view(m: entity::Model, currency: Currency) -> QuoteLineView {
    let money = |units: i64| Money::from_storage(units, currency).amount();
    QuoteLineView {
        id: m.id,
        position: m.position,
        product_id: m.product_id,
        description: m.description,
        quantity: exact(m.quantity, 0),
        unit_price: exact(m.unit_price, currency.minor_units()),
        discount_percent: bp_to_percent(m.discount_bp),
        tax_rate_percent: bp_to_percent(m.tax_rate_bp),
        gross: money(m.gross),
        discount: money(m.discount),
        net: money(m.net),
        tax: money(m.tax),
        total: money(m.total),
    }
}
