//! The `kedao` command: serve the API, run migrations, seed demo data, create the first admin,
//! run the reminder scan, print the OpenAPI spec.

use std::io::Read;

use anyhow::Context;
use clap::{Parser, Subcommand};

use kedao_api::{Application, Settings, db, seed, startup, telemetry};

#[derive(Parser)]
#[command(name = "kedao", version, about = "Kedao CRM server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API (and `/docs`).
    Serve {
        /// On an empty database, fill in demo data and demo sign-ins first.
        #[arg(long, env = "KEDAO_DEMO")]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill an empty database with demo data (accounts, leads, opportunities, a user per role).
    SeedDemo,
    /// Create an admin user. The password is read from standard input (or KEDAO_ADMIN_PASSWORD).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Reminders: `kedao reminders run` scans once for due and overdue tasks and installments,
    /// the receivables digest and birthdays (each occurrence is notified once however often
    /// it runs).
    Reminders {
        #[command(subcommand)]
        action: RemindersAction,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Print the permission table (role × resource, read / write reach) as Markdown.
    Permissions,
}

#[derive(Subcommand)]
enum RemindersAction {
    /// Run one reminder scan now and print what it notified.
    Run,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Openapi => {
            print!("{}", kedao_api::openapi::spec_json()?);
            return Ok(());
        }
        Command::Permissions => {
            print!("{}", kedao_domain::access::permissions_markdown());
            return Ok(());
        }
        _ => {}
    }
    telemetry::init(kedao_api::settings::LogFormat::from_env());
    let settings = Settings::load()?;
    match cli.command {
        Command::Serve { demo } => {
            if demo {
                let conn = db::connect(&settings).await?;
                db::migrate(&conn).await?;
                kedao_api::store::pipelines::ensure_default(&conn).await?;
                seed::seed_if_empty(&conn).await?;
                seed::print_sign_ins();
            }
            let app = Application::build(settings.clone()).await?;
            tracing::info!("{}", startup::describe(&settings, app.port()));
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            tracing::info!("migrations applied");
        }
        Command::SeedDemo => {
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            kedao_api::store::pipelines::ensure_default(&conn).await?;
            if seed::seed_if_empty(&conn).await? {
                seed::print_sign_ins();
            } else {
                tracing::warn!("the database already has users; demo data not added");
            }
        }
        Command::CreateAdmin { email, name } => {
            let password = match std::env::var("KEDAO_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut p = String::new();
                    std::io::stdin()
                        .read_to_string(&mut p)
                        .context("reading the password from stdin")?;
                    p.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let user = kedao_api::admin::create_admin(&settings, email, name, password).await?;
            println!("created admin {} ({})", user.email, user.id);
        }
        Command::Reminders {
            action: RemindersAction::Run,
        } => {
            let counts = kedao_api::admin::run_reminders(&settings).await?;
            println!("{}", serde_json::to_string(&counts)?);
        }
        Command::Openapi | Command::Permissions => {}
    }
    Ok(())
}
