//! Attachments (附件): the size limit (413, nothing stored), types known by their bytes (415
//! for a program or a page of HTML dressed as a PDF), the exact bytes back with safe headers,
//! identical files stored once, and a 404 for everyone who cannot see the record — another
//! team's rep and another dealer's staff alike.

use reqwest::Method;
use serde_json::Value;

use kedao_domain::access::Role;
use kedao_tests::{Actor, Reply, TestApp, both};

use crate::opportunities::account;

/// The attachment limit of these tests.
const LIMIT: u64 = 2048;

fn small_limit(settings: &mut kedao_api::Settings) {
    settings.max_attachment_bytes = LIMIT;
}

fn png(extra: &[u8]) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(extra);
    bytes
}

async fn upload(app: &TestApp, by: &Actor, acc: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let path = format!(
        "/api/v1/attachments?record_type=account&record_id={acc}&file_name={}",
        urlencode(name)
    );
    // The declared type is ignored: the bytes decide.
    app.raw(
        Method::POST,
        &path,
        Some(&by.token),
        "application/pdf",
        bytes,
    )
    .await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Uploads `size` bytes of PNG in 512-byte chunks without announcing the length, over a raw
/// connection (the test client always sends a Content-Length); the answer's head and body.
async fn chunked_upload(app: &TestApp, by: &Actor, acc: &str, size: usize) -> String {
    use std::io::{Read, Write};
    let host = app.address.trim_start_matches("http://").to_owned();
    let request = format!(
        "POST /api/v1/attachments?record_type=account&record_id={acc}&file_name=big.png HTTP/1.1\r\n\
         Host: {host}\r\nAuthorization: Bearer {}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n",
        by.token
    );
    let body = png(&vec![3; size - 16]);
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&host).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        for chunk in body.chunks(512) {
            // The server may answer and close before the last chunk: that is the point.
            if write!(stream, "{:x}\r\n", chunk.len())
                .and_then(|()| stream.write_all(chunk))
                .and_then(|()| stream.write_all(b"\r\n"))
                .is_err()
            {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    })
    .await
    .unwrap()
}

/// Stored contents under the data dir's attachment store (not the directories' lock files).
fn stored_files(app: &TestApp) -> usize {
    let root = app.settings.data_dir.join("attachments");
    let Ok(dirs) = std::fs::read_dir(root) else {
        return 0;
    };
    dirs.flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .filter(|f| !f.file_name().to_string_lossy().starts_with('.'))
        .count()
}

async fn delete(app: &TestApp, by: &Actor, id: &str) {
    let reply = app
        .call(
            Method::DELETE,
            &format!("/api/v1/attachments/{id}"),
            Some(&by.token),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
}

/// Deleting an attachment removes its bytes once no other attachment has the same content;
/// the prune job removes bytes no row refers to (a crash between storing and recording).
async fn deleted_files_leave_the_disk_once_unreferenced(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "合同客户").await;
    let first = upload(&app, &rep, &acc, "合同.png", png(b"contract")).await;
    let second = upload(&app, &rep, &acc, "合同副本.png", png(b"contract")).await;
    let other = upload(&app, &rep, &acc, "照片.png", png(b"photo")).await;
    assert_eq!(stored_files(&app), 2);
    delete(&app, &rep, first.body["id"].as_str().unwrap()).await;
    assert_eq!(stored_files(&app), 2, "the copy still needs the bytes");
    let copy = format!(
        "/api/v1/attachments/{}/content",
        second.body["id"].as_str().unwrap()
    );
    let bytes = app
        .call(Method::GET, &copy, Some(&rep.token), None, None)
        .await;
    assert_eq!(bytes.status, 200);
    delete(&app, &rep, second.body["id"].as_str().unwrap()).await;
    assert_eq!(
        stored_files(&app),
        1,
        "no attachment has the contract any more"
    );

    // Bytes left without a row, and a temporary file of an upload that died, are pruned; what
    // a row refers to stays.
    let orphan = "ab".repeat(32);
    let shard = app.settings.data_dir.join("attachments").join(&orphan[..2]);
    std::fs::create_dir_all(&shard).unwrap();
    std::fs::write(shard.join(&orphan), b"left behind").unwrap();
    let fresh_temp = shard.join(format!(".{orphan}.x.tmp"));
    std::fs::write(&fresh_temp, b"an upload in progress").unwrap();
    assert_eq!(stored_files(&app), 2);
    let db = app.db().await;
    let removed = kedao_api::store::attachment_files::prune(&db, &app.settings.data_dir)
        .await
        .unwrap();
    db.close().await.ok();
    assert_eq!(removed, 1);
    assert_eq!(stored_files(&app), 1);
    assert!(
        fresh_temp.exists(),
        "a recent temporary file is left to its upload"
    );
    let photo = format!(
        "/api/v1/attachments/{}/content",
        other.body["id"].as_str().unwrap()
    );
    let bytes = app
        .call(Method::GET, &photo, Some(&rep.token), None, None)
        .await;
    assert_eq!(bytes.status, 200);
}

async fn attachments_are_typed_limited_stored_once_and_private(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep = app.rep(Some(east)).await;
    let other_rep = app.rep(Some(west)).await;
    let dealer = app.new_dealer("D-01", "华东").await;
    let dealer_staff = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let acc = account(&app, &rep, "附件客户").await;

    // The owner uploads a PNG and reads back exactly its bytes, as a safe download.
    let bytes = png(&[7; 100]);
    let first = upload(&app, &rep, &acc, "../../报价 单\".png", bytes.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["content_type"], "image/png");
    assert_eq!(first.body["file_name"], "报价 单\".png");
    assert_eq!(first.body["size_bytes"], bytes.len());
    let id = first.body["id"].as_str().unwrap().to_owned();
    let content = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{id}/content")))
        .bearer_auth(&rep.token)
        .send()
        .await
        .unwrap();
    assert_eq!(content.status(), 200);
    let header = |name: &str| {
        content
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"__ __.png\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20%E5%8D%95%22.png"
    );
    assert_eq!(content.bytes().await.unwrap().to_vec(), bytes);

    // The same bytes again, under another name: a second attachment, one file on disk.
    let again = upload(&app, &rep, &acc, "copy.png", bytes.clone()).await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["sha256"], first.body["sha256"]);
    assert_eq!(stored_files(&app), 1);

    // Exactly at the limit is fine; one byte over is 413 naming the limit, and nothing is kept.
    let at_limit = upload(
        &app,
        &rep,
        &acc,
        "full.png",
        png(&vec![1; LIMIT as usize - 16]),
    )
    .await;
    assert_eq!(at_limit.status, 201, "{}", at_limit.text);
    let (rows, files) = (app.count("attachments").await, stored_files(&app));
    let over = upload(
        &app,
        &rep,
        &acc,
        "big.png",
        png(&vec![2; LIMIT as usize - 15]),
    )
    .await;
    let problem = over.problem(413, "payload-too-large");
    assert!(
        problem["detail"].as_str().unwrap().contains("2048"),
        "{}",
        over.text
    );
    // Without a Content-Length (chunked), reading stops at the limit just the same.
    let streamed = chunked_upload(&app, &rep, &acc, LIMIT as usize + 1).await;
    assert!(streamed.starts_with("HTTP/1.1 413"), "{streamed}");
    assert!(streamed.contains("2048"), "{streamed}");
    // Types are what the bytes are: a program or a web page named .pdf is refused, named.
    for (name, body, found) in [
        (
            "offer.pdf",
            b"\x7fELF\x02\x01\x01\0\0\0".to_vec(),
            "application/x-elf",
        ),
        (
            "setup.pdf",
            b"MZ\x90\0\x03\0".to_vec(),
            "application/x-msdownload",
        ),
        (
            "offer.pdf",
            b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
            "text/html",
        ),
    ] {
        let refused = upload(&app, &rep, &acc, name, body).await;
        let problem = refused.problem(415, "unsupported-file-type");
        assert!(
            problem["detail"].as_str().unwrap().contains(found),
            "{}",
            refused.text
        );
    }
    assert_eq!(app.count("attachments").await, rows);
    assert_eq!(stored_files(&app), files);
    // Text and CSV are accepted as such.
    let csv = upload(&app, &rep, &acc, "名单.csv", "名称,数量\n螺栓,3\n".into()).await;
    assert_eq!(
        csv.body["content_type"], "text/csv; charset=utf-8",
        "{}",
        csv.text
    );

    // The owner lists them; another team's rep and another dealer's staff get 404 for the
    // list, the metadata and the content, and cannot upload or delete.
    let list = format!("/api/v1/attachments?record_type=account&record_id={acc}");
    let listed = app.get(&list, &rep.token).await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 4);
    for outsider in [&other_rep, &dealer_staff] {
        app.get(&list, &outsider.token)
            .await
            .problem(404, "not-found");
        for path in [
            format!("/api/v1/attachments/{id}"),
            format!("/api/v1/attachments/{id}/content"),
        ] {
            let reply = app.get(&path, &outsider.token).await;
            reply.problem(404, "not-found");
            assert!(!reply.text.contains(&acc));
        }
        upload(&app, outsider, &acc, "x.png", png(b"x"))
            .await
            .problem(404, "not-found");
        let delete = app
            .call(
                Method::DELETE,
                &format!("/api/v1/attachments/{id}"),
                Some(&outsider.token),
                None,
                None,
            )
            .await;
        delete.problem(404, "not-found");
    }
    let meta = app
        .get(&format!("/api/v1/attachments/{id}"), &rep.token)
        .await;
    assert_eq!(meta.ok()["id"], Value::from(id.clone()));

    // The uploader deletes it.
    let delete = app
        .call(
            Method::DELETE,
            &format!("/api/v1/attachments/{id}"),
            Some(&rep.token),
            None,
            None,
        )
        .await;
    assert_eq!(delete.status, 204, "{}", delete.text);
    app.get(&format!("/api/v1/attachments/{id}"), &rep.token)
        .await
        .problem(404, "not-found");
}

both!(attachments_are_typed_limited_stored_once_and_private with small_limit);
/// The test runs the prune itself: no scheduled prune may run in between.
fn no_workers(settings: &mut kedao_api::Settings) {
    settings.job_workers = 0;
}

both!(deleted_files_leave_the_disk_once_unreferenced with no_workers);
