//! `tributary users list|create|disable|enable|reset-password` and `tributary tokens
//! list|create|revoke`, through the REST API with `--server` and `--token` like every client
//! command. A new password is read from standard input (`--password-stdin`) or generated and
//! printed once; it is never taken from the command line, where other users could see it.

use std::io::BufRead;

use clap::Subcommand;
use model::{ApiToken, CreateTokenRequest, CreateUser, CreatedToken, Page, SetPassword, UpdateUser, User};

use super::{Api, Remote};

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Every user with their roles and whether they may sign in.
    List {
        #[command(flatten)]
        remote: Remote,
    },
    /// Create a user.
    Create {
        username: String,
        /// A role to give; repeatable.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        remote: Remote,
    },
    /// Stop a user from signing in; their sessions and tokens stop working at once.
    Disable {
        username: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Let a disabled user sign in again.
    Enable {
        username: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Set a new password; the user's sessions end.
    ResetPassword {
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        remote: Remote,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Your API tokens (never their secrets).
    List {
        #[command(flatten)]
        remote: Remote,
    },
    /// Create an API token; its secret is printed once.
    Create {
        name: String,
        /// Days until it stops working; without it, it never expires.
        #[arg(long)]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        remote: Remote,
    },
    /// Revoke one of your tokens by id; it stops working at once.
    Revoke {
        id: String,
        #[command(flatten)]
        remote: Remote,
    },
}

/// The password from standard input, or a generated one that the caller prints.
fn new_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((crate::auth::secret::random_token(15), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

fn print_users(users: &[User]) {
    println!("{:<24}  {:<8}  ROLES", "USER", "ENABLED");
    for user in users {
        println!("{:<24}  {:<8}  {}", user.username, user.enabled, user.roles.join(","));
    }
}

pub async fn users(command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::List { remote } => {
            let api = Api::new(&remote)?;
            let page: Page<User> = api.get("/users").await?;
            print_users(&page.items);
        }
        UsersCommand::Create { username, roles, password_stdin, remote } => {
            let api = Api::new(&remote)?;
            let (password, generated) = new_password(password_stdin)?;
            let body = CreateUser { username, password: password.clone(), roles, enabled: true };
            let user: User = api.send(api.client.post(api.url("/users")).json(&body)).await?;
            println!("created user {} with role(s) {}", user.username, user.roles.join(","));
            if generated {
                println!("password (shown only this once): {password}");
            }
        }
        UsersCommand::Disable { username, remote } => set_enabled(&remote, &username, false).await?,
        UsersCommand::Enable { username, remote } => set_enabled(&remote, &username, true).await?,
        UsersCommand::ResetPassword { username, password_stdin, remote } => {
            let api = Api::new(&remote)?;
            let (password, generated) = new_password(password_stdin)?;
            let url = api.url(&format!("/users/{username}/password"));
            api.send_raw(api.client.post(url).json(&SetPassword { password: password.clone() })).await?;
            println!("password of {username} reset; their sessions ended");
            if generated {
                println!("new password (shown only this once): {password}");
            }
        }
    }
    Ok(())
}

async fn set_enabled(remote: &Remote, username: &str, enabled: bool) -> anyhow::Result<()> {
    let api = Api::new(remote)?;
    let body = UpdateUser { roles: None, enabled: Some(enabled) };
    let user: User = api.send(api.client.patch(api.url(&format!("/users/{username}"))).json(&body)).await?;
    println!("{} is {}", user.username, if user.enabled { "enabled" } else { "disabled" });
    Ok(())
}

pub async fn tokens(command: TokensCommand) -> anyhow::Result<()> {
    match command {
        TokensCommand::List { remote } => {
            let api = Api::new(&remote)?;
            let page: Page<ApiToken> = api.get("/tokens").await?;
            println!(
                "{:<36}  {:<24}  {:<12}  {:<24}  {:<24}",
                "ID", "NAME", "PREFIX", "EXPIRES", "LAST USED"
            );
            for t in page.items {
                let expires = t.expires_at.unwrap_or_else(|| "never".into());
                let used = t.last_used_at.unwrap_or_else(|| "-".into());
                println!("{:<36}  {:<24}  {:<12}  {:<24}  {:<24}", t.id, t.name, t.prefix, expires, used);
            }
        }
        TokensCommand::Create { name, expires_in_days, remote } => {
            let api = Api::new(&remote)?;
            let body = CreateTokenRequest { name, expires_in_days };
            let created: CreatedToken = api.send(api.client.post(api.url("/tokens")).json(&body)).await?;
            println!("created token {} ({})", created.token_info.id, created.token_info.name);
            println!("secret (shown only this once): {}", created.token);
        }
        TokensCommand::Revoke { id, remote } => {
            let api = Api::new(&remote)?;
            api.send_raw(api.client.delete(api.url(&format!("/tokens/{id}")))).await?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}
