// Optional check that a CZML file loads in CesiumJS: serves Cesium (node_modules/cesium) and
// page.html on a loopback port, opens the page in headless Chromium, and prints the page's JSON
// verdict ({ok, entities, with_position, clock_start, errors}). Exit code 0 when ok, 1 otherwise,
// 2 on bad usage or a missing tool.
//
//   npm install            # once, in this directory
//   node check.mjs RUN.czml [CHROMIUM]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [czmlPath, chromium = process.env.CHROMIUM || "/usr/bin/chromium"] = process.argv.slice(2);
if (!czmlPath) {
  console.error("usage: node check.mjs RUN.czml [CHROMIUM]");
  process.exit(2);
}
const cesiumDir = path.join(here, "node_modules/cesium/Build/Cesium");
if (!fs.existsSync(path.join(cesiumDir, "Cesium.js"))) {
  console.error("cesium is not installed: run `npm install` in " + here);
  process.exit(2);
}
const types = { ".js": "text/javascript", ".html": "text/html", ".json": "application/json", ".czml": "application/json", ".css": "text/css" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  let file;
  if (url.pathname === "/" || url.pathname === "/page.html") file = path.join(here, "page.html");
  else if (url.pathname === "/run.czml") file = path.resolve(czmlPath);
  else if (url.pathname.startsWith("/cesium/")) file = path.join(cesiumDir, path.normalize(url.pathname.slice(8)));
  if (!file || !file.startsWith(here) && file !== path.resolve(czmlPath) || !fs.existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
server.listen(0, "127.0.0.1", () => {
  const port = server.address().port;
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--virtual-time-budget=20000", "--dump-dom",
    `http://127.0.0.1:${port}/page.html?czml=/run.czml`,
  ];
  execFile(chromium, args, { timeout: 120000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
    server.close();
    const m = /<pre id="result">([\s\S]*?)<\/pre>/.exec(stdout || "");
    if (!m) {
      console.error("no verdict from the page" + (err ? `: ${err.message}` : "") + "\n" + (stderr || "").slice(-2000));
      process.exit(1);
    }
    const text = m[1].replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    console.log(text);
    let verdict;
    try { verdict = JSON.parse(text); } catch { process.exit(1); }
    process.exit(verdict.ok ? 0 : 1);
  });
});
