// The registry's dashboard: plain JavaScript, no build step, nothing loaded from elsewhere.
// It reads the API like any client: GET /services once, then the event stream (GET /events/stream)
// applied to a local copy, history for a service's page, ?at= and /diff for time travel, and
// /stats and /observe/metrics for the registry panel.
(function () {
    "use strict";

    const TOKEN_KEY = "registry.token";
    const $ = (id) => document.getElementById(id);

    // ---- the API, with the token when the registry asks for one -------------------------------

    let tokenPrompt = null;

    function authHeaders(extra) {
        const headers = Object.assign({}, extra || {});
        const token = sessionStorage.getItem(TOKEN_KEY);
        if (token) {
            headers["Authorization"] = "Bearer " + token;
        }
        return headers;
    }

    /** Asks for the token once, however many requests were refused meanwhile. */
    function askToken() {
        if (!tokenPrompt) {
            tokenPrompt = new Promise((resolve) => {
                const dialog = $("token-dialog");
                const input = $("token-input");
                input.value = "";
                $("token-form").onsubmit = () => {
                    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
                    tokenPrompt = null;
                    resolve();
                };
                dialog.showModal();
                input.focus();
            });
        }
        return tokenPrompt;
    }

    /** fetch with the token; a 401 asks for the token and tries again. */
    async function call(path, options) {
        for (;;) {
            const opts = Object.assign({}, options || {});
            opts.headers = authHeaders(opts.headers);
            const res = await fetch(path, opts);
            if (res.status !== 401) {
                return res;
            }
            await askToken();
        }
    }

    async function json(path) {
        const res = await call(path);
        const body = await res.json();
        if (!res.ok) {
            throw new Error(body.error || ("HTTP " + res.status));
        }
        return {body: body, res: res};
    }

    // ---- small helpers -------------------------------------------------------------------------

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) {
            e.className = cls;
        }
        if (text !== undefined && text !== null) {
            e.textContent = String(text);
        }
        return e;
    }

    function badge(value) {
        return el("span", "badge " + (value === "healthy" ? "healthy" : value === "unhealthy" ? "unhealthy" : "unknown"),
            value);
    }

    function age(seconds) {
        if (!isFinite(seconds)) {
            return "–";
        }
        seconds = Math.max(0, seconds);
        if (seconds < 60) {
            return Math.floor(seconds) + "s ago";
        }
        if (seconds < 3600) {
            return Math.floor(seconds / 60) + "m " + Math.floor(seconds % 60) + "s ago";
        }
        if (seconds < 86400) {
            return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m ago";
        }
        return Math.floor(seconds / 86400) + "d ago";
    }

    function duration(seconds) {
        if (seconds === null || !isFinite(seconds)) {
            return "–";
        }
        return age(seconds).replace(" ago", "");
    }

    function bytes(n) {
        if (n === null || !isFinite(n)) {
            return "–";
        }
        const units = ["B", "KiB", "MiB", "GiB", "TiB"];
        let i = 0;
        while (n >= 1024 && i < units.length - 1) {
            n /= 1024;
            i++;
        }
        return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
    }

    function modelsOf(record) {
        const m = record.metadata && record.metadata.models;
        return Array.isArray(m) ? m.join(", ") : "";
    }

    function typeOf(record) {
        const t = record.metadata && record.metadata.type;
        return typeof t === "string" ? t : "";
    }

    const epochSeconds = (iso) => Date.parse(iso) / 1000;

    // Server time minus browser time, from the replies' timestamps, so ages are the server's.
    let clockSkew = 0;

    function serverNow() {
        return Date.now() / 1000 + clockSkew;
    }

    /** The header row of a table, by its column names. */
    function header(tableId, columns) {
        const row = el("tr");
        for (const c of columns) {
            row.appendChild(el("th", null, c));
        }
        document.querySelector("#" + tableId + " thead").replaceChildren(row);
    }

    header("fleet", ["name", "url", "status", "health", "heartbeat", "models", "type"]);
    header("timeline", ["time", "event", "cause", "what changed"]);
    header("time-fleet", ["name", "url", "status", "health then", "models", "type"]);

    // ---- the fleet: a local copy kept by the event stream --------------------------------------

    /** name -> {record, expired, row, cells}; Map keeps registration order. */
    const fleet = new Map();
    const tbody = document.querySelector("#fleet tbody");
    let filterText = "";
    let lastIndex = null;
    const pending = [];
    let flushScheduled = false;
    const stats = {applied: 0, lastApplyMs: null, connected: false};
    window.registryDashboard = stats;

    function healthy(entry) {
        return entry.record.status === "running" && !entry.expired;
    }

    function matches(entry) {
        if (!filterText) {
            return true;
        }
        const r = entry.record;
        return [r.name, r.url, r.status, modelsOf(r), typeOf(r), r.host]
            .some((v) => v && String(v).toLowerCase().includes(filterText));
    }

    function newRow(name) {
        const row = el("tr");
        row.dataset.name = name;
        const cells = {};
        for (const c of ["name", "url", "status", "health", "heartbeat", "models", "type"]) {
            cells[c] = el("td", "c-" + c);
            row.appendChild(cells[c]);
        }
        const link = el("a", null, name);
        link.href = "#/service/" + encodeURIComponent(name);
        cells.name.appendChild(link);
        return {row: row, cells: cells};
    }

    function paint(entry, flash) {
        const r = entry.record;
        const c = entry.cells;
        c.url.textContent = r.url;
        c.status.textContent = r.status;
        c.health.replaceChildren(badge(healthy(entry) ? "healthy" : "unhealthy"));
        c.health.title = "active check: " + r.health_status;
        if (r.health_status && r.health_status !== "unknown") {
            const check = el("span", "badge " + r.health_status, "check " + r.health_status);
            c.health.appendChild(check);
        }
        c.heartbeat.textContent = age(serverNow() - r.last_heartbeat);
        c.models.textContent = modelsOf(r);
        c.type.textContent = typeOf(r);
        entry.row.dataset.healthy = String(healthy(entry));
        entry.row.hidden = !matches(entry);
        if (flash && !entry.row.hidden) {
            // the Web Animations API: no forced layout of the whole table, as toggling a class would need
            entry.row.animate([{backgroundColor: "#fff6cc"}, {backgroundColor: "transparent"}], 1200);
        }
    }

    function put(record, expired, flash) {
        let entry = fleet.get(record.name);
        if (!entry) {
            const made = newRow(record.name);
            entry = {record: record, expired: expired, row: made.row, cells: made.cells};
            fleet.set(record.name, entry);
            tbody.appendChild(entry.row);
        } else {
            entry.record = record;
            entry.expired = expired;
        }
        paint(entry, flash);
    }

    function remove(name) {
        const entry = fleet.get(name);
        if (entry) {
            entry.row.remove();
            fleet.delete(name);
        }
    }

    function counts() {
        let total = 0;
        let ok = 0;
        let shown = 0;
        for (const entry of fleet.values()) {
            total++;
            if (healthy(entry)) {
                ok++;
            }
            if (!entry.row.hidden) {
                shown++;
            }
        }
        const c = $("counts");
        c.replaceChildren(el("span", null, total + " records: "), el("b", "ok", ok + " healthy"),
            el("span", null, ", "), el("b", "bad", (total - ok) + " unhealthy"),
            el("span", null, shown === total ? "" : " (" + shown + " shown)"));
        $("fleet-empty").hidden = total > 0;
    }

    async function loadFleet() {
        const {body, res} = await json("/services");
        clockSkew = epochSeconds(body.timestamp) - Date.now() / 1000;
        const index = res.headers.get("X-Registry-Index");
        lastIndex = index === null ? null : index;
        fleet.clear();
        tbody.replaceChildren();
        for (const r of body.services) {
            put(r, r.status === "running" && !r.is_healthy, false);
        }
        counts();
    }

    /** Applies one event from the stream to the local copy, as the server's projector does. */
    function apply(e) {
        const entry = e.name !== undefined ? fleet.get(e.name) : undefined;
        switch (e.type) {
            case "registered":
                put(e.record, false, true);
                break;
            case "updated":
                if (entry) {
                    Object.assign(entry.record, e.changes);
                    entry.record.last_heartbeat = epochSeconds(e.time);
                    put(entry.record, false, true);
                }
                break;
            case "heartbeat":
                if (entry) {
                    if (e.status) {
                        entry.record.status = e.status;
                    }
                    entry.record.last_heartbeat = epochSeconds(e.time);
                    put(entry.record, false, entry.expired || !!e.status);
                }
                break;
            case "health-checked":
                if (entry) {
                    entry.record.health_status = e.new;
                    if (e.new === "healthy" && e.cause === "probe") {
                        entry.record.last_heartbeat = epochSeconds(e.time);
                    }
                    put(entry.record, entry.expired, true);
                }
                break;
            case "expired":
                if (entry) {
                    put(entry.record, true, true);
                }
                break;
            case "deregistered":
                remove(e.name);
                break;
            case "evicted":
                remove(e.record.name);
                break;
            default:
                break; // registry-started, lease: nothing in the fleet changes
        }
        if (currentService !== null && (e.name === currentService || (e.record && e.record.name === currentService))) {
            refreshServiceSoon();
        }
    }

    /** Applies what arrived since the last frame, all at once, and measures how long that took. */
    function flush() {
        flushScheduled = false;
        const t0 = performance.now();
        const batch = pending.splice(0, pending.length);
        if (batch.length === 0) {
            return;
        }
        for (const e of batch) {
            apply(e);
        }
        counts();
        const took = performance.now() - t0;
        stats.applied += batch.length;
        stats.lastApplyMs = took;
        $("p-apply").textContent = took.toFixed(1) + " ms (" + batch.length + (batch.length === 1 ? " event)" : " events)");
    }

    function enqueue(e) {
        pending.push(e);
        if (!flushScheduled) {
            flushScheduled = true;
            requestAnimationFrame(flush);
            // a hidden tab gets no frames: apply within a second anyway
            setTimeout(() => flushScheduled && flush(), 1000);
        }
    }

    function setLive(on, text) {
        const live = $("live");
        live.className = "live " + (on ? "on" : "off");
        live.textContent = text;
        stats.connected = on;
        document.body.dataset.stream = on ? "live" : "down";
    }

    /**
     * The event stream, read with fetch rather than EventSource, which cannot send the
     * Authorization header. Resumes after the last event seen (Last-Event-ID); reconnects with backoff.
     */
    async function follow() {
        let delay = 500;
        for (;;) {
            try {
                const headers = {"Accept": "text/event-stream"};
                if (lastIndex !== null) {
                    headers["Last-Event-ID"] = lastIndex;
                }
                const res = await call("/events/stream", {headers: headers});
                if (!res.ok || !res.body) {
                    throw new Error("HTTP " + res.status);
                }
                setLive(true, "live");
                delay = 500;
                await readEvents(res.body.getReader());
            } catch (err) {
                // fall through to reconnect
            }
            setLive(false, "reconnecting…");
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 2, 10000);
        }
    }

    async function readEvents(reader) {
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
            const {value, done} = await reader.read();
            if (done) {
                return;
            }
            buffer += decoder.decode(value, {stream: true});
            let end;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                await handleBlock(block);
            }
        }
    }

    async function handleBlock(block) {
        let id = null;
        let type = null;
        const data = [];
        for (const line of block.split("\n")) {
            if (line.startsWith("id:")) {
                id = line.slice(3).trim();
            } else if (line.startsWith("event:")) {
                type = line.slice(6).trim();
            } else if (line.startsWith("data:")) {
                data.push(line.slice(5).trim());
            }
        }
        if (type === null || data.length === 0) {
            return; // a comment: keep-alive
        }
        if (id !== null) {
            lastIndex = id;
        }
        if (type === "history-gap") {
            await loadFleet(); // missed events retention deleted: take the list again
            return;
        }
        enqueue(JSON.parse(data.join("\n")));
    }

    // Heartbeat ages tick without any event.
    setInterval(() => {
        const now = serverNow();
        for (const entry of fleet.values()) {
            if (!entry.row.hidden) {
                entry.cells.heartbeat.textContent = age(now - entry.record.last_heartbeat);
            }
        }
    }, 1000);

    $("filter").addEventListener("input", (ev) => {
        filterText = ev.target.value.trim().toLowerCase();
        for (const entry of fleet.values()) {
            entry.row.hidden = !matches(entry);
        }
        counts();
    });

    // ---- a service's page: its timeline from history -------------------------------------------

    let currentService = null;
    let refreshTimer = null;

    function refreshServiceSoon() {
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => showService(currentService), 250);
    }

    function describe(entry) {
        const skip = new Set(["index", "time", "type", "cause", "heartbeats_before", "old", "new", "detail"]);
        const parts = [];
        if (entry.old !== undefined && entry.new !== undefined) {
            parts.push(entry.old + " → " + entry.new + (entry.detail ? " (" + entry.detail + ")" : ""));
        }
        for (const [k, v] of Object.entries(entry)) {
            if (skip.has(k)) {
                continue;
            }
            if (k === "record" && v) {
                parts.push("url " + v.url + ", status " + v.status + (typeOf(v) ? ", type " + typeOf(v) : "")
                    + (modelsOf(v) ? ", models " + modelsOf(v) : ""));
            } else if (k === "changes" && v) {
                parts.push(Object.entries(v).map(([f, x]) => f + " → " + JSON.stringify(x)).join(", "));
            } else {
                parts.push(k + " " + (typeof v === "object" ? JSON.stringify(v) : v));
            }
        }
        return parts.join("; ");
    }

    function beatsRow(n) {
        const row = el("tr", "beats");
        const cell = el("td", null, n + (n === 1 ? " heartbeat" : " heartbeats"));
        cell.colSpan = 4;
        row.appendChild(cell);
        return row;
    }

    async function showService(name) {
        if (name === null) {
            return;
        }
        $("svc-name").textContent = name;
        const body = document.querySelector("#timeline tbody");
        try {
            const {body: h} = await json("/services/" + encodeURIComponent(name) + "/history?limit=1000");
            if (currentService !== name) {
                return;
            }
            const rows = [];
            for (const entry of h.history) {
                if (entry.heartbeats_before > 0) {
                    rows.push(beatsRow(entry.heartbeats_before));
                }
                const row = el("tr", "entry");
                row.dataset.type = entry.type;
                row.append(el("td", null, entry.time), el("td", "c-type", entry.type), el("td", null, entry.cause),
                    el("td", "details", describe(entry)));
                rows.push(row);
            }
            if (h.heartbeats_after_last > 0) {
                rows.push(beatsRow(h.heartbeats_after_last));
            }
            body.replaceChildren(...rows);
            const more = $("svc-more");
            more.hidden = !h.more;
            more.textContent = h.more ? "Older entries exist; the first " + h.count + " are shown." : "";
            const live = fleet.get(name);
            $("svc-now").textContent = live
                ? "Now: " + live.record.status + ", " + (healthy(live) ? "healthy" : "unhealthy") + ", last heartbeat "
                + age(serverNow() - live.record.last_heartbeat) + ", " + live.record.url
                : "Not registered now.";
        } catch (err) {
            body.replaceChildren();
            $("svc-now").textContent = err.message;
        }
    }

    // ---- time travel: the fleet at a past moment, and what changed since -----------------------

    let range = null;

    async function loadRange() {
        const {body} = await json("/events?limit=1");
        const from = Date.parse(body.available_from || (body.events[0] && body.events[0].time));
        range = {from: isFinite(from) ? from : Date.now(), to: Date.now()};
        $("time-range").textContent = "log from " + new Date(range.from).toISOString();
        const slider = $("time-slider");
        if (!$("time-input").value) {
            slider.value = "1000";
            $("time-input").value = new Date(range.to).toISOString();
        }
    }

    $("time-slider").addEventListener("input", (ev) => {
        if (range) {
            range.to = Date.now();
            const t = range.from + (range.to - range.from) * Number(ev.target.value) / 1000;
            $("time-input").value = new Date(Math.round(t)).toISOString();
        }
    });

    $("time-form").addEventListener("submit", (ev) => {
        ev.preventDefault();
        showMoment($("time-input").value.trim());
    });

    function diffItem(cls, text) {
        return el("li", cls, text);
    }

    async function showMoment(at) {
        const error = $("time-error");
        error.hidden = true;
        try {
            const now = new Date().toISOString();
            const [then, diff] = await Promise.all([
                json("/services?at=" + encodeURIComponent(at)),
                json("/diff?from=" + encodeURIComponent(at) + "&to=" + encodeURIComponent(now))]);
            $("time-at").textContent = then.body.at;
            $("time-total").textContent = then.body.total + " records";
            const rows = then.body.services.map((r) => {
                const row = el("tr");
                row.dataset.name = r.name;
                const health = el("td");
                health.appendChild(badge(r.is_healthy ? "healthy" : "unhealthy"));
                row.append(el("td", null, r.name), el("td", "c-url", r.url), el("td", null, r.status), health,
                    el("td", null, modelsOf(r)), el("td", null, typeOf(r)));
                return row;
            });
            document.querySelector("#time-fleet tbody").replaceChildren(...rows);
            const d = diff.body;
            const items = [];
            for (const r of d.added) {
                items.push(diffItem("added", "+ " + r.name + " registered since (" + r.url + ")"));
            }
            for (const r of d.removed) {
                items.push(diffItem("removed", "− " + r.name + " gone since (" + r.url + ")"));
            }
            for (const c of d.changed) {
                const fields = Object.entries(c.fields).filter(([f]) => f !== "last_heartbeat" && f !== "timestamp")
                    .map(([f, v]) => f + " " + JSON.stringify(v.from) + " → " + JSON.stringify(v.to));
                if (fields.length > 0) {
                    items.push(diffItem("changed", "~ " + c.name + ": " + fields.join(", ")));
                }
            }
            for (const f of d.health_flips) {
                items.push(diffItem("changed", "⚑ " + f.name + " " + f.from + " → " + f.to + " at " + f.time
                    + (f.detail ? " (" + f.detail + ")" : "")));
            }
            if (items.length === 0) {
                items.push(diffItem(null, "No change."));
            }
            $("time-diff").replaceChildren(...items);
            $("time-result").hidden = false;
        } catch (err) {
            error.textContent = err.message;
            error.hidden = false;
            $("time-result").hidden = true;
        }
    }

    // ---- the registry panel: /stats and the metrics ---------------------------------------------

    let lastEvents = null;

    /** The samples of a metric in Prometheus text, summed over its labels. */
    function sample(text, name) {
        let sum = null;
        for (const line of text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                const v = Number(line.slice(line.lastIndexOf(" ") + 1));
                sum = (sum || 0) + v;
            }
        }
        return sum;
    }

    async function refreshPanel() {
        try {
            const {body} = await json("/stats");
            $("p-uptime").textContent = duration(body.uptime);
            const res = await call("/observe/metrics", {headers: {"Accept": "text/plain"}});
            const text = await res.text();
            const version = /registry_build_info\{[^}]*version="([^"]*)"/.exec(text);
            $("p-version").textContent = version ? version[1] : "–";
            const events = sample(text, "registry_events_appended_total");
            const now = performance.now();
            if (lastEvents !== null && events !== null) {
                const rate = (events - lastEvents.count) / ((now - lastEvents.at) / 1000);
                $("p-rate").textContent = rate.toFixed(rate < 10 ? 1 : 0);
            }
            lastEvents = events === null ? null : {count: events, at: now};
            $("p-log").textContent = bytes(sample(text, "registry_log_bytes")) + " in "
                + (sample(text, "registry_log_files") || 0) + " file(s)";
            const snapshotAge = sample(text, "registry_snapshot_age_seconds");
            $("p-snapshot").textContent = snapshotAge === null || snapshotAge < 0 ? "none yet" : duration(snapshotAge);
            $("p-checks").textContent = String(sample(text, "registry_health_checks_in_flight") || 0);
        } catch (err) {
            // the panel waits for the next round
        }
    }

    // ---- views ----------------------------------------------------------------------------------

    function route() {
        const hash = location.hash || "#/";
        let view = "fleet";
        currentService = null;
        if (hash.startsWith("#/service/")) {
            view = "service";
            currentService = decodeURIComponent(hash.slice("#/service/".length));
            document.querySelector("#timeline tbody").replaceChildren();
            showService(currentService);
        } else if (hash.startsWith("#/time")) {
            view = "time";
            loadRange().catch((err) => {
                $("time-error").textContent = err.message;
                $("time-error").hidden = false;
            });
        }
        for (const v of ["fleet", "service", "time"]) {
            $("view-" + v).hidden = v !== view;
        }
        for (const a of document.querySelectorAll("nav a")) {
            a.classList.toggle("active", a.dataset.view === view);
        }
    }

    window.addEventListener("hashchange", route);

    async function start() {
        route();
        for (;;) {
            try {
                await loadFleet();
                break;
            } catch (err) {
                setLive(false, "registry unreachable: " + err.message);
                await new Promise((r) => setTimeout(r, 2000));
            }
        }
        follow();
        refreshPanel();
        setInterval(refreshPanel, 5000);
    }

    start();
})();
