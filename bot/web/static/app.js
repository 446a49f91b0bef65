// tunemate's chat page: plain JavaScript, no build step.
//
// On load it reuses the API token kept in localStorage (or creates a user), starts a chat
// session and shows its 50 tracks. Chat turns go over the WebSocket when it connects and
// over POST /api/v1/chat/message otherwise; a turn that returns `recommendations` replaces
// the list. Like/skip post feedback with a fresh idempotency key; "Why?" asks the chat.
"use strict";

(() => {
  const API = "/api/v1";
  const TOKEN_KEY = "tunemate.token";
  const SOCKET_TIMEOUT_MS = 5000;
  const SOCKET_RETRY_AFTER_MS = 30000;

  const state = {
    token: null,
    sessionId: null,
    tracks: [],
    socket: null,
    socketFailedAt: 0,
    onFrame: null, // the running WebSocket turn's frame handler
    onSocketLost: null,
    turns: Promise.resolve(), // chat turns run one at a time: frames carry no turn id
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    status: $("status"),
    transcript: $("transcript"),
    form: $("chat-form"),
    input: $("chat-input"),
    list: $("track-list"),
    listMeta: $("list-meta"),
    template: $("track-template"),
    newSession: $("new-session"),
  };

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function describeError(err) {
    if (err instanceof ApiError) {
      const wait = err.retryAfter ? ` Try again in ${err.retryAfter} s.` : "";
      return `${err.message}${wait}`;
    }
    return "The server could not be reached. Check that tunemate is running.";
  }

  // ---------------------------------------------------------------- HTTP

  async function api(method, path, body, { auth = true } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (auth) headers.Authorization = `Bearer ${state.token}`;
    const response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (!response.ok) {
      const error = (payload && payload.error) || {};
      throw new ApiError(
        response.status,
        error.code || "http_error",
        error.message || response.statusText || `HTTP ${response.status}`,
        response.headers.get("Retry-After"),
      );
    }
    return payload;
  }

  // crypto.randomUUID exists only in secure contexts; the page may be served over plain
  // HTTP on a LAN address, where getRandomValues still works.
  function newEventId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function readStoredToken() {
    try {
      return window.localStorage.getItem(TOKEN_KEY);
    } catch {
      return null; // storage disabled: a new user per visit
    }
  }

  function storeToken(token) {
    try {
      window.localStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* storage disabled: the token lives as long as the page */
    }
  }

  async function createUser() {
    const created = await api("POST", "/users", { display_name: "web listener" }, { auth: false });
    state.token = created.token;
    storeToken(created.token);
    closeSocket(); // the socket was authenticated as the previous user
  }

  // ---------------------------------------------------------------- session

  async function initialize() {
    return api("POST", "/chat/session/initialize", {});
  }

  async function startSession() {
    setStatus("Starting a session…");
    els.list.setAttribute("aria-busy", "true");
    els.newSession.disabled = true;
    try {
      state.token = state.token || readStoredToken();
      if (!state.token) await createUser();
      let result;
      try {
        result = await initialize();
      } catch (err) {
        // a token from an older database, or revoked: start over as a new user
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
        await createUser();
        result = await initialize();
      }
      const data = result.data;
      state.sessionId = data.session_id;
      els.transcript.replaceChildren();
      renderTracks(data.recommendations);
      renderMeta(data.metadata);
      addNote(result.message || "Session started.");
      setStatus(sessionSummary(data.metadata));
    } catch (err) {
      setStatus(`Could not start a session: ${describeError(err)}`, true);
    } finally {
      els.list.setAttribute("aria-busy", "false");
      els.newSession.disabled = false;
    }
  }

  function sessionSummary(metadata) {
    if (!metadata) return "Session ready.";
    const parts = [`${metadata.final_count ?? state.tracks.length} tracks`];
    if (metadata.total_candidates != null) {
      parts.push(`chosen from ${metadata.total_candidates} candidates`);
    }
    if (metadata.response_time_ms != null) {
      const cache = metadata.cache_status ? `, cache ${metadata.cache_status}` : "";
      parts.push(`in ${Math.round(metadata.response_time_ms)} ms${cache}`);
    }
    return `Session ready: ${parts.join(" ")}.`;
  }

  function renderMeta(metadata) {
    if (!metadata) {
      els.listMeta.textContent = "";
      return;
    }
    const stage = String(metadata.cold_start_stage || "").replaceAll("_", " ");
    const parts = [];
    if (stage) parts.push(`stage: ${stage}`);
    if (metadata.listening_history_size != null) {
      parts.push(`${metadata.listening_history_size} tracks in your history`);
    }
    els.listMeta.textContent = parts.join(" · ");
  }

  // ---------------------------------------------------------------- the list

  function artistsText(track) {
    return Array.isArray(track.artists) ? track.artists.join(", ") : String(track.artists || "");
  }

  function renderTracks(tracks) {
    state.tracks = tracks;
    const rows = tracks.map(renderTrack);
    els.list.replaceChildren(...rows);
  }

  function renderTrack(track) {
    const row = els.template.content.firstElementChild.cloneNode(true);
    const label = `${track.name} by ${artistsText(track)}`;
    row.dataset.trackId = track.track_id;
    row.dataset.position = String(track.position);
    row.dataset.score = String(track.score);
    row.querySelector(".position").textContent = String(track.position);
    row.querySelector(".name").textContent = track.name;
    row.querySelector(".artists").textContent = artistsText(track);

    const details = [];
    if (track.album) details.push(track.album);
    if (track.release_year) details.push(String(track.release_year));
    if (Array.isArray(track.genres) && track.genres.length) details.push(track.genres.join(", "));
    row.querySelector(".details").textContent = details.join(" · ");

    const score = Number(track.score) || 0;
    const fill = Math.max(0, Math.min(1, score)) * 100;
    row.querySelector(".score-fill").style.width = `${fill.toFixed(1)}%`;
    row.querySelector(".score-value").textContent = score.toFixed(2);
    row.querySelector(".score").setAttribute("aria-label", `score ${score.toFixed(2)} out of 1`);

    for (const button of row.querySelectorAll("button[data-signal]")) {
      const verb = button.dataset.signal === "like" ? "Like" : "Skip";
      button.setAttribute("aria-label", `${verb} ${label}`);
      button.addEventListener("click", () => sendFeedback(track, button, row));
    }
    const why = row.querySelector("button.why");
    why.setAttribute("aria-label", `Why is ${label} here?`);
    why.addEventListener("click", () => explainTrack(track, why, row));
    return row;
  }

  // ---------------------------------------------------------------- feedback

  async function postFeedback(body) {
    try {
      return await api("POST", "/feedback", body);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // a network failure: the server may have stored it; the same event id makes a retry safe
      return api("POST", "/feedback", body);
    }
  }

  async function sendFeedback(track, button, row) {
    const signal = button.dataset.signal;
    const original = button.textContent;
    button.disabled = true;
    button.textContent = "…";
    try {
      await postFeedback({
        event_id: newEventId(),
        track_id: track.track_id,
        signal,
        session_id: state.sessionId,
      });
      markRecorded(row, signal);
      setStatus(`${signal === "like" ? "Liked" : "Skipped"} “${track.name}”. The next list will take it into account.`);
    } catch (err) {
      button.textContent = original;
      button.disabled = false;
      setStatus(`Feedback was not recorded: ${describeError(err)}`, true);
    }
  }

  function markRecorded(row, signal) {
    const button = row.querySelector(`button[data-signal="${signal}"]`);
    if (!button) return; // a signal without a button here (save, dislike…)
    button.textContent = signal === "like" ? "Liked" : "Skipped";
    button.disabled = true;
    button.setAttribute("aria-pressed", "true");
    button.classList.add("recorded");
    row.classList.add(signal === "like" ? "liked" : "skipped");
  }

  // Feedback given in words ("I love number 2") shows on the track's buttons too.
  function reflectChatFeedback(actions) {
    for (const action of actions) {
      const args = action.args || {};
      if (action.tool !== "feedback" || !args.track_id) continue;
      const row = Array.from(els.list.children).find((r) => r.dataset.trackId === args.track_id);
      if (row) markRecorded(row, args.signal);
    }
  }

  // ---------------------------------------------------------------- explanations

  async function explainTrack(track, button, row) {
    const text = row.querySelector(".why-text");
    if (text.dataset.loaded === "true") {
      text.hidden = !text.hidden;
      button.setAttribute("aria-expanded", String(!text.hidden));
      return;
    }
    button.disabled = true;
    text.hidden = false;
    text.textContent = "Asking…";
    try {
      const result = await chat(`why is number ${track.position} here?`);
      text.textContent = result.reply;
      text.dataset.loaded = "true";
      button.setAttribute("aria-expanded", "true");
    } catch (err) {
      text.textContent = `No explanation: ${describeError(err)}`;
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- chat transport

  function socketUrl() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${API}/chat/ws`;
  }

  function closeSocket() {
    if (state.socket) state.socket.close();
    state.socket = null;
  }

  // Resolves to an authenticated socket, or null (then the turn goes over POST).
  function connectSocket() {
    return new Promise((resolve) => {
      let socket;
      try {
        socket = new WebSocket(socketUrl());
      } catch {
        resolve(null);
        return;
      }
      let settled = false;
      const give = (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!value) {
          state.socketFailedAt = Date.now();
          socket.close();
        }
        resolve(value);
      };
      const timer = setTimeout(() => give(null), SOCKET_TIMEOUT_MS);
      socket.addEventListener("open", () => {
        socket.send(JSON.stringify({ type: "auth", token: state.token }));
      });
      socket.addEventListener("message", (event) => {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch {
          return;
        }
        if (!settled) {
          give(frame.type === "ready" ? socket : null);
          return;
        }
        if (state.onFrame) state.onFrame(frame);
      });
      socket.addEventListener("close", () => {
        give(null);
        if (state.socket === socket) state.socket = null;
        if (state.onSocketLost) state.onSocketLost();
      });
    });
  }

  async function openSocket() {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) return state.socket;
    if (Date.now() - state.socketFailedAt < SOCKET_RETRY_AFTER_MS) return null;
    state.socket = await connectSocket();
    return state.socket;
  }

  function socketTurn(socket, message, view) {
    return new Promise((resolve, reject) => {
      const finish = () => {
        state.onFrame = null;
        state.onSocketLost = null;
      };
      state.onSocketLost = () => {
        finish();
        reject(new ApiError(0, "connection_lost", "The connection dropped during the reply; please send it again."));
      };
      state.onFrame = (frame) => {
        if (frame.type === "action") view.action(frame);
        else if (frame.type === "reply_chunk") view.chunk(frame.text || "");
        else if (frame.type === "done") {
          finish();
          resolve(frame);
        } else if (frame.type === "error") {
          finish();
          const error = frame.error || {};
          reject(new ApiError(0, error.code || "error", error.message || "The chat failed.",
            error.retry_after));
        }
      };
      socket.send(JSON.stringify({ type: "message", session_id: state.sessionId, message }));
    });
  }

  async function postTurn(message, view) {
    const result = await api("POST", "/chat/message", { session_id: state.sessionId, message });
    for (const action of result.actions || []) view.action(action);
    return result;
  }

  // One chat turn: the user's line and the reply go to the transcript; a new list replaces
  // the shown one. Turns are queued so that frames never interleave.
  function chat(message) {
    const run = async () => {
      addMessage("user", message);
      const view = addReplyView();
      try {
        const socket = await openSocket();
        const result = socket ? await socketTurn(socket, message, view) : await postTurn(message, view);
        view.finish(result.reply || "", result.actions || []);
        if (Array.isArray(result.recommendations) && result.recommendations.length) {
          renderTracks(result.recommendations);
          setStatus(`The list now holds ${result.recommendations.length} new tracks.`);
        }
        reflectChatFeedback(result.actions || []);
        return result;
      } catch (err) {
        view.fail(describeError(err));
        throw err;
      }
    };
    const turn = state.turns.then(run, run);
    state.turns = turn.catch(() => undefined);
    return turn;
  }

  // ---------------------------------------------------------------- transcript

  function setStatus(text, isError = false) {
    els.status.textContent = text;
    els.status.classList.toggle("error", isError);
  }

  function scrollTranscript() {
    els.transcript.scrollTop = els.transcript.scrollHeight;
  }

  function addNote(text) {
    const item = document.createElement("li");
    item.className = "note";
    item.textContent = text;
    els.transcript.append(item);
    scrollTranscript();
  }

  function addMessage(who, text) {
    const item = document.createElement("li");
    item.className = `message ${who}`;
    const speaker = document.createElement("span");
    speaker.className = "speaker";
    speaker.textContent = who === "user" ? "You" : "tunemate";
    const body = document.createElement("p");
    body.className = "text";
    body.textContent = text;
    item.append(speaker, body);
    els.transcript.append(item);
    scrollTranscript();
    return item;
  }

  // An action's summary can hold a whole explanation; the reply says it in full already.
  function briefly(summary) {
    const line = String(summary).split("\n")[0];
    return line.length > 90 ? `${line.slice(0, 89)}…` : line;
  }

  function addReplyView() {
    const item = addMessage("bot", "");
    item.classList.add("pending");
    const body = item.querySelector(".text");
    body.textContent = "Thinking…";
    const actions = document.createElement("ul");
    actions.className = "actions";
    actions.setAttribute("aria-label", "What tunemate did");
    item.insertBefore(actions, body);
    let streamed = "";
    const shown = new Set();

    const showAction = (action) => {
      const key = `${action.tool}:${action.summary || ""}`;
      if (shown.has(key)) return;
      shown.add(key);
      const entry = document.createElement("li");
      const tool = document.createElement("code");
      tool.textContent = action.tool;
      entry.append(tool, document.createTextNode(action.summary ? ` ${briefly(action.summary)}` : ""));
      actions.append(entry);
      scrollTranscript();
    };
    return {
      action: showAction,
      chunk(text) {
        streamed += text;
        body.textContent = streamed;
        scrollTranscript();
      },
      finish(reply, finalActions) {
        finalActions.forEach(showAction);
        body.textContent = reply || streamed || "(no reply)";
        item.classList.remove("pending");
        scrollTranscript();
      },
      fail(message) {
        body.textContent = message;
        item.classList.remove("pending");
        item.classList.add("failed");
        scrollTranscript();
      },
    };
  }

  // ---------------------------------------------------------------- wiring

  els.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = els.input.value.trim();
    if (!message || !state.sessionId) return;
    els.input.value = "";
    chat(message).catch(() => undefined); // the transcript already shows the failure
  });

  els.newSession.addEventListener("click", () => {
    startSession();
  });

  startSession();
})();
