//! `zeren serve [工作区] [--port N] [--bind 地址] [--token 令牌] [--max-upload-mb N] [--timeout 秒]`:
//! the web service of `crate::serve`, on the same workspace the terminal uses.

use super::workspace_dir;
use crate::serve::{self, Config};
use clap::Args;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// 工作区文件夹（含 zeren.yaml），默认当前文件夹
    #[arg(value_name = "工作区")]
    pub workspace: Option<PathBuf>,
    /// 端口，默认 8080（0 为任一空闲端口）
    #[arg(short = 'p', long, default_value_t = 8080, value_name = "端口", hide_default_value = true)]
    pub port: u16,
    /// 监听地址，默认 127.0.0.1（只有本机能访问）；0.0.0.0 让局域网中的电脑都能访问，此时必须设访问令牌
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "地址", hide_default_value = true, value_parser = parse_ip)]
    pub bind: IpAddr,
    /// 访问令牌（也可用环境变量 ZEREN_TOKEN，更不易泄露）；监听非本机地址时必须设
    #[arg(long, value_name = "令牌")]
    pub token: Option<String>,
    /// 上传文件的大小上限（MB），默认 20
    #[arg(long = "max-upload-mb", default_value_t = 20, value_name = "MB", hide_default_value = true, value_parser = |s: &str| within(s, 1, 1024))]
    pub max_upload_mb: u64,
    /// 每个请求的时限（秒），默认 120
    #[arg(long, default_value_t = 120, value_name = "秒", hide_default_value = true, value_parser = |s: &str| within(s, 1, 3600))]
    pub timeout: u64,
}

fn within(s: &str, min: u64, max: u64) -> Result<u64, String> {
    s.trim().parse::<u64>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| format!("应为 {min} 到 {max} 之间的整数"))
}

fn parse_ip(s: &str) -> Result<IpAddr, String> {
    s.trim().parse().map_err(|_| format!("“{s}”不是 IP 地址，应写作 127.0.0.1、0.0.0.0 或本机在局域网中的地址"))
}

/// Shortest token accepted: a token anyone could guess protects nothing.
const MIN_TOKEN: usize = 8;

pub fn run(args: ServeArgs) -> u8 {
    let root = match workspace_dir(args.workspace) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let token = args.token.or_else(|| std::env::var("ZEREN_TOKEN").ok()).filter(|t| !t.trim().is_empty());
    if let Some(t) = &token {
        if t.chars().count() < MIN_TOKEN {
            eprintln!("错误：访问令牌太短（至少 {MIN_TOKEN} 个字符），请换一个不易猜到的令牌");
            return 2;
        }
    } else if !args.bind.is_loopback() {
        eprintln!(
            "错误：监听 {} 时局域网中的其他电脑也能访问，必须设置访问令牌：加 --token 令牌，或设环境变量 ZEREN_TOKEN；只在本机使用请去掉 --bind",
            args.bind
        );
        return 2;
    }
    // A broken workspace is the operator's to mend before anyone uploads: the service does not
    // start, and says what to mend where.
    let mut problems = serve::job::check_workspace(&root, crate::load::Scope::Default);
    problems.extend(serve::job::check_word_templates(&root));
    if problems.has_errors() {
        super::report(&problems);
        eprintln!("zeren serve 未启动：请先改正工作区的问题（可用 zeren check {} 检查）。", root.display());
        return 1;
    }
    let mut config = Config::new(&root);
    config.max_upload = args.max_upload_mb * 1024 * 1024;
    config.timeout = Duration::from_secs(args.timeout);
    config.token = token.clone();
    config.log = true;
    // A request's folder lives at most twice its time limit (at most an hour): older ones were
    // left by a service that was killed or ran out of memory, this one or another.
    let swept = serve::space::sweep_stale(&config.temp_root, Duration::from_secs(2 * 3600 + 600));
    if swept > 0 {
        eprintln!("已删除服务上次异常结束时留下的 {swept} 个临时文件夹（{}）", config.temp_root.join("zeren-serve-*").display());
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动服务：{e}");
            return 1;
        }
    };
    runtime.block_on(async move {
        let addr = SocketAddr::new(args.bind, args.port);
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::AddrInUse {
                    "端口已被占用，请用 --port 换一个".to_string()
                } else {
                    e.to_string()
                };
                eprintln!("错误：无法监听 {addr}：{why}");
                return 2;
            }
        };
        let local = listener.local_addr().unwrap_or(addr);
        let host = match local.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let query = token.as_ref().map(|t| format!("?token={}", serve::page::pct(t))).unwrap_or_default();
        // Not println!: a closed stdout (a pipe whose reader went away) must not stop the service.
        let mut out = std::io::stdout();
        let _ = writeln!(out, "zeren serve：工作区 {}，请用浏览器打开 http://{host}:{}/{query}", root.display(), local.port());
        if local.ip().is_unspecified() {
            let _ = writeln!(out, "局域网中的其他电脑请把地址中的 {host} 换成本机的 IP 地址。");
        }
        let _ = writeln!(out, "按 Ctrl+C 停止。");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match serve::run(listener, config, shutdown).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("错误：服务异常停止：{e}");
                1
            }
        }
    })
}
