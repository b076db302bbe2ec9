//! The price book: products with a list price and a default tax rate. Everyone reads it (a
//! quote line starts from it); only admins change it.

use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::products::{ProductCreate, ProductUpdate, ProductView};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::Money;
use kedao_domain::quote::PERCENT_PLACES;

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::products::{self as entity, Column};
use crate::store::fields::{line, required, save_versioned};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{history, masking, new_id, now, search};

/// Filters of the product list.
#[derive(Debug, Default, Clone)]
pub struct ProductFilter {
    pub active: Option<bool>,
    pub currency: Option<Currency>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 3] = [
    SortField {
        name: "sku",
        column: Column::Sku,
        kind: SortKind::Text,
    },
    SortField {
        name: "name",
        column: Column::Name,
        kind: SortKind::Text,
    },
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
];

/// A percentage as basis points (percent × 100), or `None` when it is not 0–100 with at
/// most two decimals. Basis points keep rates exact as integers on both databases.
pub fn percent_to_bp(percent: Decimal) -> Option<i32> {
    if percent < Decimal::ZERO
        || percent > Decimal::ONE_HUNDRED
        || percent.normalize().scale() > PERCENT_PLACES
    {
        return None;
    }
    (percent * Decimal::ONE_HUNDRED).to_i32()
}

/// Basis points back to a percentage, without trailing zeros (`13`, `7.5`).
pub fn bp_to_percent(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2).normalize()
}

pub fn currency_of(code: &str) -> Currency {
    Currency::from_str(code).unwrap_or(Currency::Cny)
}

/// (list price − cost) / list price in percent, to two places; none for a free product.
fn margin_percent(list_price: i64, cost: i64) -> Option<Decimal> {
    if list_price == 0 {
        return None;
    }
    let margin =
        Decimal::from(list_price - cost) * Decimal::ONE_HUNDRED / Decimal::from(list_price);
    let mut percent = margin.round_dp(2);
    percent.rescale(2);
    Some(percent)
}

/// A standard cost: money in the product's currency, never negative.
fn cost(amount: Decimal, currency: Currency) -> Result<i64, ApiError> {
    if amount.is_sign_negative() {
        return Err(ApiError::field("cost", "negative", "a cost is 0 or more"));
    }
    price(amount, currency, "cost")
}

pub fn view(m: entity::Model) -> ProductView {
    let currency = currency_of(&m.currency);
    ProductView {
        id: m.id,
        sku: m.sku,
        name: m.name,
        name_en: m.name_en,
        unit: m.unit,
        list_price: Money::from_storage(m.list_price, currency).amount(),
        currency,
        tax_rate_percent: bp_to_percent(m.tax_rate_bp),
        active: m.active,
        cost: m.cost.map(|c| Money::from_storage(c, currency).amount()),
        margin_percent: m.cost.and_then(|c| margin_percent(m.list_price, c)),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: ProductFilter,
    paging: Paging<Column>,
) -> Result<ListPage<ProductView>, ApiError> {
    principal.reach(Resource::Products, Action::Read)?;
    let mut cond = Condition::all();
    if let Some(a) = filter.active {
        cond = cond.add(Column::Active.eq(a));
    }
    if let Some(c) = filter.currency {
        cond = cond.add(Column::Currency.eq(c.code()));
    }
    if let Some(q) = search::text_filter(
        filter.q.as_deref(),
        &[Column::Sku, Column::Name, Column::NameEn],
    )? {
        cond = cond.add(q);
    }
    paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        |m| masking::product(principal, view(m)),
    )
    .await
}

/// The product; `NotFound` if there is none (every role reads the whole price book).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    principal.reach(Resource::Products, Action::Read)?;
    entity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("product"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<ProductView, ApiError> {
    let product = find(db, principal, id).await?;
    Ok(masking::product(principal, view(product)))
}

fn price(amount: Decimal, currency: Currency, field: &str) -> Result<i64, ApiError> {
    let money = Money::new(amount, currency).map_err(|e| rule(field, "invalid", e))?;
    money.to_storage().map_err(|e| rule(field, "invalid", e))
}

fn tax_rate(percent: Decimal) -> Result<i32, ApiError> {
    percent_to_bp(percent).ok_or_else(|| {
        ApiError::field(
            "tax_rate_percent",
            "out-of-range",
            format!("must be from 0 to 100 with at most {PERCENT_PLACES} decimal places"),
        )
    })
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: ProductCreate,
) -> Result<ProductView, ApiError> {
    principal.reach(Resource::Products, Action::Write)?;
    let currency = input.currency.unwrap_or(Currency::Cny);
    let sku = required(&input.sku, 64, "sku")?;
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        sku: Set(sku.clone()),
        name: Set(required(&input.name, 200, "name")?),
        name_en: Set(line(input.name_en.as_deref(), 200, "name_en")?),
        unit: Set(required(input.unit.as_deref().unwrap_or("件"), 20, "unit")?),
        list_price: Set(price(input.list_price, currency, "list_price")?),
        currency: Set(currency.code().to_owned()),
        tax_rate_bp: Set(tax_rate(input.tax_rate_percent.unwrap_or_default())?),
        active: Set(input.active.unwrap_or(true)),
        cost: Set(input.cost.map(|c| cost(c, currency)).transpose()?),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    let txn = db.begin().await?;
    ensure_sku_free(&txn, &sku, None).await?;
    // The unique index still decides a race between two creators of the same SKU.
    let saved = model.insert(&txn).await.map_err(sku_taken)?;
    txn.commit().await?;
    Ok(view(saved))
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: ProductUpdate,
) -> Result<ProductView, ApiError> {
    principal.reach(Resource::Products, Action::Write)?;
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(sku) = input.sku {
        let sku = required(&sku, 64, "sku")?;
        ensure_sku_free(&txn, &sku, Some(id)).await?;
        model.sku = Set(sku);
    }
    if let Some(name) = input.name {
        model.name = Set(required(&name, 200, "name")?);
    }
    if let Some(name_en) = input.name_en {
        model.name_en = Set(line(name_en.as_deref(), 200, "name_en")?);
    }
    if let Some(unit) = input.unit {
        model.unit = Set(required(&unit, 20, "unit")?);
    }
    if input.list_price.is_some() || input.currency.is_some() {
        // A new currency re-checks the kept price too: 12.50 cannot become JPY.
        let old = currency_of(&current.currency);
        let currency = input.currency.unwrap_or(old);
        let field = if input.list_price.is_some() {
            "list_price"
        } else {
            "currency"
        };
        let amount = input
            .list_price
            .unwrap_or_else(|| Money::from_storage(current.list_price, old).amount());
        model.list_price = Set(price(amount, currency, field)?);
        model.currency = Set(currency.code().to_owned());
        // The kept cost must fit the new currency too.
        if input.cost.is_none()
            && let Some(c) = current.cost
        {
            model.cost = Set(Some(cost(Money::from_storage(c, old).amount(), currency)?));
        }
    }
    if let Some(c) = input.cost {
        let currency = input
            .currency
            .unwrap_or_else(|| currency_of(&current.currency));
        model.cost = Set(c.map(|c| cost(c, currency)).transpose()?);
    }
    if let Some(t) = input.tax_rate_percent {
        model.tax_rate_bp = Set(tax_rate(t)?);
    }
    if let Some(a) = input.active {
        model.active = Set(a);
    }
    let at = now();
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    let after = view(find(&txn, principal, id).await?);
    history::track(
        &txn,
        principal,
        Resource::Products,
        id,
        &view(current),
        &after,
        at,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

async fn ensure_sku_free<C: ConnectionTrait>(
    db: &C,
    sku: &str,
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut select = entity::Entity::find().filter(Column::Sku.eq(sku));
    if let Some(id) = except {
        select = select.filter(Column::Id.ne(id));
    }
    match select.one(db).await? {
        Some(_) => Err(sku_taken_error()),
        None => Ok(()),
    }
}

fn sku_taken(e: DbErr) -> ApiError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => sku_taken_error(),
        _ => e.into(),
    }
}

fn sku_taken_error() -> ApiError {
    ApiError::conflict("sku-taken", "a product with this SKU exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_trip_through_basis_points() {
        assert_eq!(percent_to_bp(Decimal::new(13, 0)), Some(1300));
        assert_eq!(percent_to_bp(Decimal::new(75, 1)), Some(750));
        assert_eq!(bp_to_percent(750).to_string(), "7.5");
        assert_eq!(percent_to_bp(Decimal::new(-1, 0)), None);
        assert_eq!(percent_to_bp(Decimal::new(101, 0)), None);
        assert_eq!(percent_to_bp(Decimal::new(1234, 3)), None);
    }
}
