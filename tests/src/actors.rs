//! Signed-in users of a test: `app.admin()`, `app.rep()`, `app.manager()` …

use serde_json::{Value, json};
use uuid::Uuid;

use kedao_api_types::users::UserCreate;
use kedao_domain::access::Role;

use crate::app::TestApp;

pub const PASSWORD: &str = "a-long-test-password";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    /// Creates a user straight in the database (as `kedao create-admin` does) and signs in.
    pub async fn user(&self, role: Role, team_id: Option<Uuid>) -> Actor {
        self.user_of(role, team_id, None).await
    }

    /// A dealer's staff member (`dealer_admin` or `dealer_user`) of `dealer`.
    pub async fn dealer_staff(&self, role: Role, dealer: Uuid) -> Actor {
        self.user_of(role, None, Some(dealer)).await
    }

    async fn user_of(&self, role: Role, team_id: Option<Uuid>, dealer_id: Option<Uuid>) -> Actor {
        let db = self.db().await;
        let email = format!("{}-{}@kedao.test", role.as_str(), Uuid::new_v4().simple());
        kedao_api::store::users::insert(
            &db,
            UserCreate {
                email: email.clone(),
                display_name: format!("Test {}", role.as_str()),
                password: PASSWORD.into(),
                role,
                team_id,
                dealer_id,
            },
        )
        .await
        .expect("create user");
        db.close().await.ok();
        self.sign_in(&email).await
    }

    pub async fn sign_in(&self, email: &str) -> Actor {
        self.sign_in_with(email, PASSWORD).await
    }

    pub async fn sign_in_with(&self, email: &str, password: &str) -> Actor {
        let reply = self
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(&json!({"email": email, "password": password})),
                None,
            )
            .await;
        let body = reply.ok().clone();
        actor_from(&body)
    }

    pub async fn admin(&self) -> Actor {
        self.user(Role::Admin, None).await
    }

    /// A team created through the API by a fresh admin.
    pub async fn team(&self, name: &str) -> Uuid {
        let admin = self.admin().await;
        let reply = self
            .post("/api/v1/teams", &admin.token, &json!({"name": name}))
            .await;
        Uuid::parse_str(reply.ok()["id"].as_str().expect("team id")).expect("uuid")
    }

    /// A team under `parent`, created through the API by a fresh admin.
    pub async fn sub_team(&self, name: &str, parent: Uuid) -> Uuid {
        let admin = self.admin().await;
        let reply = self
            .post(
                "/api/v1/teams",
                &admin.token,
                &json!({"name": name, "parent_id": parent}),
            )
            .await;
        Uuid::parse_str(reply.ok()["id"].as_str().expect("team id")).expect("uuid")
    }

    pub async fn rep(&self, team: Option<Uuid>) -> Actor {
        self.user(Role::Sales, team).await
    }

    pub async fn manager(&self, team: Option<Uuid>) -> Actor {
        self.user(Role::Manager, team).await
    }

    /// An active dealer created through the API by a fresh admin.
    pub async fn new_dealer(&self, code: &str, region: &str) -> Uuid {
        let admin = self.admin().await;
        let reply = self
            .post(
                "/api/v1/dealers",
                &admin.token,
                &json!({"code": code, "name": format!("经销商 {code}"), "region": region}),
            )
            .await;
        Uuid::parse_str(reply.ok()["id"].as_str().expect("dealer id")).expect("uuid")
    }
}

pub fn actor_from(body: &Value) -> Actor {
    Actor {
        id: Uuid::parse_str(body["user"]["id"].as_str().expect("user id")).expect("uuid"),
        email: body["user"]["email"].as_str().expect("email").to_owned(),
        role: serde_json::from_value(body["user"]["role"].clone()).expect("role"),
        team_id: body["user"]["team_id"]
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok()),
        dealer_id: body["user"]["dealer_id"]
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok()),
        token: body["access_token"]
            .as_str()
            .expect("access token")
            .to_owned(),
        refresh_token: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}
