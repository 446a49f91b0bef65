// tunemate's page: plain JavaScript, no build step, no inline code (a strict CSP works).
//
// On load it reuses the API token kept in localStorage (or creates a user), starts a chat
// session and shows its 50 tracks. A visitor without a personality profile is offered the
// questionnaire or five sliders first. Chat turns go over the WebSocket when it connects and
// over POST /api/v1/chat/message otherwise; a turn that returns `recommendations` replaces
// the list. Like/skip post feedback and undo it; "Why?" asks the chat. Further views: the
// profile, history and feedback (with undo), and Spotify. Views are chosen by the URL hash.
"use strict";

(() => {
  const API = "/api/v1";
  const TOKEN_KEY = "tunemate.token";
  const ANSWERS_KEY = "tunemate.questionnaire.answers";
  const PAGE_KEY = "tunemate.questionnaire.page";
  const ONBOARDED_KEY = "tunemate.onboarding";
  const SOCKET_TIMEOUT_MS = 5000;
  const SOCKET_RETRY_AFTER_MS = 30000;
  const ITEMS_PER_PAGE = 11;
  const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
  const TRAITS = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"];
  const TRAIT_HINTS = {
    openness: "curious, imaginative, drawn to art and new ideas",
    conscientiousness: "organised, careful, sees things through",
    extraversion: "outgoing, talkative, energetic in company",
    agreeableness: "warm, trusting, cooperative",
    neuroticism: "easily worried or tense, moods that shift",
  };
  // What a trait far from the middle does to the list (the SPEC's trait → audio mapping).
  const TRAIT_EFFECTS = {
    openness: ["more acoustic tracks and more classical, folk and world music",
      "fewer acoustic tracks and less classical, folk and world music"],
    conscientiousness: ["calmer, steadier tracks near 100 BPM and less rock and metal",
      "more room for rock and metal and for restless tempos"],
    extraversion: ["more energetic, danceable and upbeat tracks",
      "fewer high-energy dance tracks"],
    agreeableness: ["more jazz, country and soul", "less jazz, country and soul"],
    neuroticism: ["more bright-sounding soul and pop", "less of the bright soul and pop"],
  };
  const SORT_PHRASES = {
    calmer: "calmest first", more_energetic: "most energetic first",
    happier: "happiest first", sadder: "saddest first", more_acoustic: "most acoustic first",
    more_danceable: "most danceable first", less_popular: "least popular first",
    more_popular: "most popular first", faster: "fastest tempo first",
    slower: "slowest tempo first", newer: "newest first", older: "oldest first",
  };

  const state = {
    token: null,
    sessionId: null,
    tracks: [],
    personality: undefined, // undefined: not asked yet; null: none
    items: null, // the questionnaire, once fetched
    page: 0,
    socket: null,
    socketFailedAt: 0,
    onFrame: null, // the running WebSocket turn's frame handler
    onSocketLost: null,
    turns: Promise.resolve(), // chat turns run one at a time: frames carry no turn id
    ready: null, // resolves once the user exists
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    status: $("status"),
    transcript: $("transcript"),
    form: $("chat-form"),
    input: $("chat-input"),
    list: $("track-list"),
    listMeta: $("list-meta"),
    notPersonal: $("not-personal"),
    orderNote: $("order-note"),
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

  function make(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
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

  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null; // storage disabled: nothing survives a reload
    }
  }

  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch {
      /* storage disabled: the value lives as long as the page */
    }
  }

  async function createUser() {
    const created = await api("POST", "/users", { display_name: "web listener" }, { auth: false });
    state.token = created.token;
    save(TOKEN_KEY, created.token);
    closeSocket(); // the socket was authenticated as the previous user
  }

  // ---------------------------------------------------------------- views

  const VIEWS = ["list", "questionnaire", "sliders", "profile", "history", "spotify"];

  function currentView() {
    const name = window.location.hash.replace(/^#/, "");
    return VIEWS.includes(name) ? name : "list";
  }

  function showView() {
    const name = currentView();
    for (const view of document.querySelectorAll(".view")) {
      view.hidden = view.dataset.view !== name;
    }
    for (const link of document.querySelectorAll(".views-nav a")) {
      if (link.dataset.view === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    const openers = {
      questionnaire: openQuestionnaire,
      sliders: openSliders,
      profile: openProfile,
      history: openHistory,
      spotify: openSpotify,
    };
    if (openers[name]) {
      ensureUser().then(openers[name]).catch((err) => setStatus(describeError(err), true));
    }
    const heading = document.querySelector(`.view[data-view="${name}"] h2`);
    if (heading && name !== "list") {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }

  function go(name) {
    if (currentView() === name && window.location.hash === `#${name}`) showView();
    else window.location.hash = name;
  }

  // ---------------------------------------------------------------- session

  async function initialize() {
    return api("POST", "/chat/session/initialize", {});
  }

  // Once per page: the stored token, or a new user. Every call waits for the same promise,
  // so the views opened at load never create a second user.
  function ensureUser() {
    if (!state.ready) {
      state.ready = (async () => {
        state.token = state.token || load(TOKEN_KEY);
        if (!state.token) await createUser();
      })().catch((err) => {
        state.ready = null; // the next call tries again
        throw err;
      });
    }
    return state.ready;
  }

  async function startSession() {
    setStatus("Starting a session…");
    els.list.setAttribute("aria-busy", "true");
    els.newSession.disabled = true;
    try {
      await ensureUser();
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
      state.personality = data.personality_profile || null;
      els.transcript.replaceChildren();
      renderTracks(data.recommendations);
      renderMeta(data.metadata);
      addNote(result.message || "Session started.");
      setStatus(sessionSummary(data.metadata));
      return data;
    } catch (err) {
      setStatus(`Could not start a session: ${describeError(err)}`, true);
      throw err;
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
    const parts = [];
    if (metadata) {
      const stage = String(metadata.cold_start_stage || "").replaceAll("_", " ");
      if (stage) parts.push(`stage: ${stage}`);
      if (metadata.listening_history_size != null) {
        parts.push(`${metadata.listening_history_size} tracks in your history`);
      }
    }
    parts.push(state.personality ? "personality profile set" : "no personality profile");
    els.listMeta.textContent = parts.join(" · ");
    const history = metadata ? Number(metadata.listening_history_size) || 0 : 0;
    const personal = Boolean(state.personality) || history > 0;
    // a first visit is offered the questionnaire (skipping is fine: the list then says
    // that it is not personal yet)
    const welcome = !personal && !load(ONBOARDED_KEY);
    $("welcome").hidden = !welcome;
    els.notPersonal.hidden = personal || welcome;
  }

  // ---------------------------------------------------------------- the list

  function artistsText(track) {
    return Array.isArray(track.artists) ? track.artists.join(", ") : String(track.artists || "");
  }

  function renderTracks(tracks, sortedBy) {
    state.tracks = tracks;
    els.list.replaceChildren(...tracks.map(renderTrack));
    renderOrderNote(tracks, sortedBy);
  }

  // The bars show each track's overall score; after a re-sort by another criterion they are
  // no longer in falling order, and the list says so instead of looking broken.
  function renderOrderNote(tracks, sortedBy) {
    const byScore = tracks.every((t, i) => i === 0 || Number(t.score) <= Number(tracks[i - 1].score) + 1e-9);
    if (byScore) {
      els.orderNote.hidden = true;
      els.orderNote.textContent = "";
      return;
    }
    const how = sortedBy ? describeSort(sortedBy) : "by your last request";
    els.orderNote.textContent = `Re-sorted ${how}, not by score: each bar still shows the track's overall score.`;
    els.orderNote.hidden = false;
  }

  function describeSort(args) {
    if (SORT_PHRASES[args.criterion]) return `(${SORT_PHRASES[args.criterion]})`;
    if (args.criterion === "genre" && args.genre) return `(${args.genre} first)`;
    if (args.criterion === "decade" && args.decade) return `(the ${args.decade}s first)`;
    return `by ${String(args.criterion || "your request").replaceAll("_", " ")}`;
  }

  function renderTrack(track) {
    const row = els.template.content.firstElementChild.cloneNode(true);
    const label = `${track.name} by ${artistsText(track)}`;
    row.dataset.trackId = track.track_id;
    row.dataset.position = String(track.position);
    row.dataset.score = String(track.score);
    row.querySelector(".position").textContent = String(track.position);
    const name = row.querySelector(".name");
    if (SPOTIFY_ID.test(track.track_id)) {
      const link = make("a", "spotify-link", track.name);
      link.href = `https://open.spotify.com/track/${track.track_id}`;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.setAttribute("aria-label", `${track.name} on Spotify (opens a new tab)`);
      name.append(link);
    } else {
      name.textContent = track.name;
    }
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
      button.addEventListener("click", () => toggleFeedback(track, button.dataset.signal, row));
    }
    const why = row.querySelector("button.why");
    why.setAttribute("aria-label", `Why is ${label} here?`);
    why.addEventListener("click", () => explainTrack(track, why, row));
    return row;
  }

  function rowOf(trackId) {
    return Array.from(els.list.children).find((r) => r.dataset.trackId === trackId);
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

  async function undoEvent(eventId) {
    const path = `/feedback/${encodeURIComponent(eventId)}/undo`;
    try {
      return await api("POST", path);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      return api("POST", path); // undo is idempotent by the original event's id
    }
  }

  // The event a row's pressed button stands for; feedback given in words has no id on the
  // page, so it is looked up among the recent events.
  async function eventOf(row) {
    if (row.dataset.eventId) return row.dataset.eventId;
    const { events } = await api("GET", "/feedback");
    const found = events.find((e) => e.track_id === row.dataset.trackId
      && e.signal === row.dataset.signal && !e.undone_by && !e.undoes);
    return found ? found.event_id : null;
  }

  // Like and skip exclude each other: pressing the pressed one undoes it, pressing the other
  // undoes the first and records the second. Each undo is a new, compensating event.
  async function toggleFeedback(track, signal, row) {
    const buttons = row.querySelectorAll("button[data-signal]");
    buttons.forEach((b) => { b.disabled = true; });
    const previous = row.dataset.signal || null;
    try {
      if (previous) {
        const eventId = await eventOf(row);
        if (eventId) await undoEvent(eventId);
        markRecorded(row, null);
        if (previous === signal) {
          setStatus(`Took back the ${signal} on “${track.name}”.`);
          return;
        }
      }
      const eventId = newEventId();
      await postFeedback({
        event_id: eventId,
        track_id: track.track_id,
        signal,
        session_id: state.sessionId,
      });
      markRecorded(row, signal, eventId);
      const verb = signal === "like" ? "Liked" : "Skipped";
      setStatus(`${verb} “${track.name}”. The next list will take it into account; press again to undo.`);
    } catch (err) {
      setStatus(`Feedback was not recorded: ${describeError(err)}`, true);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function markRecorded(row, signal, eventId) {
    for (const button of row.querySelectorAll("button[data-signal]")) {
      const on = button.dataset.signal === signal;
      const like = button.dataset.signal === "like";
      button.textContent = on ? (like ? "Liked" : "Skipped") : (like ? "Like" : "Skip");
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("recorded", on);
      button.title = on ? "Press again to undo" : "";
    }
    row.classList.toggle("liked", signal === "like");
    row.classList.toggle("skipped", signal === "skip");
    if (signal) row.dataset.signal = signal;
    else delete row.dataset.signal;
    if (eventId) row.dataset.eventId = eventId;
    else delete row.dataset.eventId;
  }

  // Feedback given in words ("I love number 2") shows on the track's buttons too.
  function reflectChatFeedback(actions) {
    for (const action of actions) {
      const args = action.args || {};
      if (action.tool !== "feedback" || !args.track_id) continue;
      if (args.signal !== "like" && args.signal !== "skip") continue; // no button for it
      const row = rowOf(args.track_id);
      if (row) markRecorded(row, args.signal, args.event_id);
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
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    button.setAttribute("aria-expanded", "true");
    text.hidden = false;
    text.textContent = "Asking…";
    try {
      const result = await chat(`why is number ${track.position} here?`);
      text.textContent = result.reply;
      text.dataset.loaded = "true";
    } catch (err) {
      text.textContent = `No explanation: ${describeError(err)}`;
    } finally {
      button.removeAttribute("aria-busy");
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

  function lastSort(actions) {
    const rerank = actions.filter((a) => a.tool === "rerank").pop();
    return rerank ? rerank.args || {} : null;
  }

  // One chat turn: the user's line and ONE reply go to the transcript (the tools used are
  // named, not quoted: the reply says what they did); a new list replaces the shown one.
  // Turns are queued so that frames never interleave.
  function chat(message) {
    const run = async () => {
      addMessage("user", message);
      const view = addReplyView();
      try {
        const socket = await openSocket();
        const result = socket ? await socketTurn(socket, message, view) : await postTurn(message, view);
        const actions = result.actions || [];
        view.finish(result.reply || "", actions);
        if (Array.isArray(result.recommendations) && result.recommendations.length) {
          renderTracks(result.recommendations, lastSort(actions));
          setStatus(`The list now holds ${result.recommendations.length} tracks.`);
        }
        reflectChatFeedback(actions);
        if (actions.some((a) => a.tool === "personality")) state.personality = undefined;
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
    els.transcript.append(make("li", "note", text));
    scrollTranscript();
  }

  function addMessage(who, text) {
    const item = make("li", `message ${who}`);
    item.append(make("span", "speaker", who === "user" ? "You" : "tunemate"), make("p", "text", text));
    els.transcript.append(item);
    scrollTranscript();
    return item;
  }

  function addReplyView() {
    const item = addMessage("bot", "");
    item.classList.add("pending");
    const body = item.querySelector(".text");
    body.textContent = "Thinking…";
    const actions = make("ul", "actions");
    actions.setAttribute("aria-label", "Tools tunemate used");
    item.insertBefore(actions, body);
    let streamed = "";
    const shown = new Set();

    const showAction = (action) => {
      if (shown.has(action.tool)) return;
      shown.add(action.tool);
      const entry = make("li");
      entry.append(make("code", "", action.tool));
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

  // ---------------------------------------------------------------- personality

  async function fetchPersonality() {
    try {
      const stored = await api("GET", "/personality");
      state.personality = stored;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      state.personality = null;
    }
    return state.personality;
  }

  async function questionnaireItems() {
    if (!state.items) {
      const body = await api("GET", "/personality/questionnaire", undefined, { auth: false });
      state.items = body;
    }
    return state.items;
  }

  function storedAnswers() {
    try {
      const parsed = JSON.parse(load(ANSWERS_KEY) || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch {
      return {};
    }
  }

  function answeredCount(answers) {
    return Object.values(answers).filter((v) => v >= 1 && v <= 5).length;
  }

  async function openQuestionnaire() {
    const { items, scale } = await questionnaireItems();
    const answers = storedAnswers();
    const pages = Math.ceil(items.length / ITEMS_PER_PAGE);
    state.page = Math.min(Math.max(Number(load(PAGE_KEY)) || 0, 0), pages - 1);
    renderQuestionnairePage(items, scale, answers);
  }

  function renderQuestionnairePage(items, scale, answers) {
    const pages = Math.ceil(items.length / ITEMS_PER_PAGE);
    const first = state.page * ITEMS_PER_PAGE;
    const shown = items.slice(first, first + ITEMS_PER_PAGE);
    $("bfi-page-label").textContent = `Page ${state.page + 1} of ${pages}: statements ${first + 1}–${first + shown.length}`;
    const fields = shown.map((item) => {
      const set = make("fieldset", "bfi-item");
      const legend = make("legend", "", `${item.number}. ${item.text}`);
      set.append(legend);
      const options = make("div", "bfi-options");
      scale.labels.forEach((text, index) => {
        const value = index + 1;
        const id = `bfi-${item.number}-${value}`;
        const input = make("input");
        input.type = "radio";
        input.name = `item-${item.number}`;
        input.id = id;
        input.value = String(value);
        input.checked = Number(answers[item.number]) === value;
        input.addEventListener("change", () => {
          const now = storedAnswers();
          now[item.number] = value;
          save(ANSWERS_KEY, JSON.stringify(now));
          renderProgress(items.length, now);
        });
        const label = make("label", "", text);
        label.htmlFor = id;
        const option = make("span", "bfi-option");
        option.append(input, label);
        options.append(option);
      });
      set.append(options);
      return set;
    });
    $("bfi-items").replaceChildren(...fields);
    $("bfi-prev").hidden = state.page === 0;
    $("bfi-next").hidden = state.page === pages - 1;
    $("bfi-submit").hidden = state.page !== pages - 1;
    $("bfi-error").textContent = "";
    renderProgress(items.length, answers);
  }

  function renderProgress(total, answers) {
    const done = answeredCount(answers);
    $("bfi-progress").value = done;
    $("bfi-progress").max = total;
    $("bfi-progress-text").textContent = `${done} of ${total} answered`;
  }

  async function turnQuestionnairePage(step) {
    const { items, scale } = await questionnaireItems();
    const pages = Math.ceil(items.length / ITEMS_PER_PAGE);
    state.page = Math.min(Math.max(state.page + step, 0), pages - 1);
    save(PAGE_KEY, String(state.page));
    renderQuestionnairePage(items, scale, storedAnswers());
    $("questionnaire-heading").focus({ preventScroll: false });
  }

  async function submitQuestionnaire() {
    const { items, scale } = await questionnaireItems();
    const answers = storedAnswers();
    const missing = items.find((item) => !(answers[item.number] >= 1 && answers[item.number] <= 5));
    if (missing) {
      state.page = Math.floor((missing.number - 1) / ITEMS_PER_PAGE);
      save(PAGE_KEY, String(state.page));
      renderQuestionnairePage(items, scale, answers);
      $("bfi-error").textContent = `Statement ${missing.number} has no answer yet (${answeredCount(answers)} of ${items.length} answered).`;
      const first = document.getElementById(`bfi-${missing.number}-1`);
      if (first) first.focus();
      return;
    }
    const body = { answers: Object.fromEntries(items.map((i) => [String(i.number), Number(answers[i.number])])) };
    try {
      state.personality = await api("PUT", "/personality", body);
    } catch (err) {
      $("bfi-error").textContent = `Not saved: ${describeError(err)}`;
      return;
    }
    save(ANSWERS_KEY, null);
    save(PAGE_KEY, null);
    await profileSaved();
  }

  async function profileSaved() {
    save(ONBOARDED_KEY, "done");
    go("profile");
    // the profile changed: the next list is made with it
    await startSession().catch(() => undefined);
  }

  function openSliders() {
    const current = (state.personality && state.personality.traits) || {};
    const rows = TRAITS.map((trait) => {
      const row = make("div", "slider-row");
      const id = `slider-${trait}`;
      const label = make("label", "slider-label", capitalise(trait));
      label.htmlFor = id;
      const hint = make("span", "slider-hint", TRAIT_HINTS[trait]);
      hint.id = `${id}-hint`;
      const input = make("input");
      input.type = "range";
      input.id = id;
      input.name = trait;
      input.min = "1";
      input.max = "5";
      input.step = "0.5";
      input.value = String(current[trait] ?? 3);
      input.setAttribute("aria-describedby", hint.id);
      const output = make("output", "slider-value", Number(input.value).toFixed(1));
      output.htmlFor = id;
      input.addEventListener("input", () => {
        output.textContent = Number(input.value).toFixed(1);
      });
      row.append(label, hint, input, output);
      return row;
    });
    $("slider-rows").replaceChildren(...rows);
    $("sliders-error").textContent = "";
  }

  async function submitSliders() {
    const traits = {};
    for (const trait of TRAITS) traits[trait] = Number($(`slider-${trait}`).value);
    try {
      // the five scores are on the 1–5 scale, the API's default
      state.personality = await api("PUT", "/personality", { traits });
    } catch (err) {
      $("sliders-error").textContent = `Not saved: ${describeError(err)}`;
      return;
    }
    await profileSaved();
  }

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // One sentence on what the profile does to the list: the traits furthest from the middle.
  function profileEffect(traits) {
    const far = TRAITS
      .map((trait) => ({ trait, offset: (Number(traits[trait]) - 3) / 2 }))
      .filter((t) => Math.abs(t.offset) >= 0.25)
      .sort((a, b) => Math.abs(b.offset) - Math.abs(a.offset));
    if (!far.length) {
      return "Your profile sits near the middle on every trait, so it pulls your list in no "
        + "particular direction: your likes, skips and history will shape it instead.";
    }
    const parts = far.slice(0, 3).map(({ trait, offset }) => {
      const level = offset > 0 ? "high" : "low";
      return `${TRAIT_EFFECTS[trait][offset > 0 ? 0 : 1]} (${level} ${trait})`;
    });
    const joined = parts.length === 1 ? parts[0]
      : parts.length === 2 ? `${parts[0]}, and ${parts[1]}`
        : `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}`;
    return `In your list this means ${joined}.`;
  }

  async function openProfile() {
    if (state.personality === undefined) await fetchPersonality();
    const profile = state.personality;
    $("profile-empty").hidden = Boolean(profile);
    $("profile-full").hidden = !profile;
    if (!profile) return;
    const when = new Date(profile.created_at);
    const how = { bfi44: "the questionnaire", direct: "the sliders", chat: "the chat" }[profile.source] || profile.source;
    $("profile-source").textContent = `Set through ${how} on ${when.toLocaleString()}.`;
    const bars = TRAITS.map((trait) => {
      const value = Number(profile.traits[trait]);
      const item = make("li", "trait");
      item.dataset.trait = trait;
      item.dataset.value = String(value);
      const name = make("span", "trait-name", capitalise(trait));
      const bar = make("span", "trait-bar");
      bar.setAttribute("role", "img");
      bar.setAttribute("aria-label", `${capitalise(trait)}: ${value.toFixed(1)} out of 5`);
      const fill = make("span", "trait-fill");
      fill.style.width = `${(((value - 1) / 4) * 100).toFixed(1)}%`;
      bar.append(fill);
      const number = make("span", "trait-value", value.toFixed(1));
      number.setAttribute("aria-hidden", "true");
      item.append(name, bar, number);
      return item;
    });
    $("trait-chart").replaceChildren(...bars);
    $("profile-effect").textContent = profileEffect(profile.traits);
  }

  // ---------------------------------------------------------------- history and feedback

  function parseTrackIds(text) {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (!lines.length) return [];
    const header = lines[0].split(",").map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
    let column = 0;
    let rows = lines;
    if (header.length > 1 || ["track_id", "id", "spotify_id"].includes(header[0])) {
      const named = header.findIndex((c) => c === "track_id" || c === "id" || c === "spotify_id");
      if (named >= 0) {
        column = named;
        rows = lines.slice(1);
      } else if (header.length > 1) {
        column = 0; // no header: the first column of every line
      }
    }
    const ids = [];
    for (const line of rows) {
      const cells = header.length > 1 || column > 0 ? [line.split(",")[column]] : line.split(",");
      for (const cell of cells) {
        const id = String(cell || "").trim().replace(/^"|"$/g, "");
        if (id) ids.push(id);
      }
    }
    return ids;
  }

  async function importHistory() {
    const result = $("import-result");
    const file = $("import-file").files[0];
    const text = file ? await file.text() : $("import-text").value;
    const ids = parseTrackIds(text);
    if (!ids.length) {
      result.textContent = "No track ids found: paste some or choose a CSV file.";
      return;
    }
    const counts = new Map();
    for (const id of ids) counts.set(id, (counts.get(id) || 0) + 1);
    const tracks = Array.from(counts, ([trackId, plays]) => ({ track_id: trackId, play_count: plays }));
    try {
      const outcome = await api("POST", "/history", { tracks: tracks.slice(0, 5000) });
      const unknown = outcome.unknown_track_ids.length;
      result.textContent = `Imported ${outcome.imported} tracks`
        + (unknown ? `; ${unknown} ids are not in the catalogue and were left out.` : ".");
      $("import-text").value = "";
      $("import-file").value = "";
      await openHistory();
      if (outcome.imported) await startSession().catch(() => undefined);
    } catch (err) {
      result.textContent = `Not imported: ${describeError(err)}`;
    }
  }

  function trackName(trackId) {
    const shown = state.tracks.find((t) => t.track_id === trackId);
    return shown ? `${shown.name} by ${artistsText(shown)}` : trackId;
  }

  async function openHistory() {
    const [{ events }, history] = await Promise.all([api("GET", "/feedback"), api("GET", "/history")]);
    const feedbackRows = events.slice(0, 50).map((event) => {
      const item = make("li", "event");
      item.dataset.eventId = event.event_id;
      const when = new Date(event.created_at).toLocaleString();
      const what = event.undoes ? `Undo of an earlier event` : `${capitalise(event.signal)}`;
      const text = make("span", "event-text", `${what} · ${trackName(event.track_id)} · reward ${event.reward > 0 ? "+" : ""}${event.reward} · ${when}`);
      item.append(text);
      if (event.undone_by) {
        item.classList.add("undone");
        item.append(make("span", "badge", "undone"));
      } else if (!event.undoes) {
        const undo = make("button", "secondary small", "Undo");
        undo.type = "button";
        undo.setAttribute("aria-label", `Undo ${event.signal} on ${trackName(event.track_id)}`);
        undo.addEventListener("click", async () => {
          undo.disabled = true;
          try {
            await undoEvent(event.event_id);
            const row = rowOf(event.track_id);
            if (row && row.dataset.signal === event.signal) markRecorded(row, null);
            setStatus(`Took back the ${event.signal} on ${trackName(event.track_id)}.`);
            await openHistory();
          } catch (err) {
            undo.disabled = false;
            setStatus(`Not undone: ${describeError(err)}`, true);
          }
        });
        item.append(undo);
      }
      return item;
    });
    if (!feedbackRows.length) feedbackRows.push(make("li", "muted", "No feedback yet."));
    $("feedback-list").replaceChildren(...feedbackRows);
    $("history-total").textContent = `${history.total} tracks in your listening history.`;
    const plays = history.tracks.slice(0, 100).map((t) => make("li", "play",
      `${t.name || t.track_id}${t.artists ? ` by ${t.artists}` : ""} · ${t.play_count} play${t.play_count === 1 ? "" : "s"} · ${t.source.replaceAll("_", " ")}`));
    $("history-list").replaceChildren(...plays);
  }

  // ---------------------------------------------------------------- Spotify

  function spotifyButtons(status) {
    const configured = Boolean(status && status.configured);
    const connected = Boolean(status && status.connected);
    $("spotify-connect").hidden = connected;
    $("spotify-connect").disabled = !configured;
    $("spotify-sync").hidden = !connected;
    $("spotify-export").hidden = !connected;
    $("spotify-disconnect").hidden = !connected;
  }

  async function openSpotify() {
    const line = $("spotify-state");
    let status;
    try {
      status = await api("GET", "/spotify");
    } catch (err) {
      line.textContent = `Could not ask about Spotify: ${describeError(err)}`;
      spotifyButtons(null);
      return;
    }
    if (!status.configured && !status.connected) {
      line.textContent = "Spotify is not set up on this server, so it cannot be connected. "
        + "Whoever runs tunemate can set SPOTIFY_CLIENT_ID (see docs/SPOTIFY.md). "
        + "You can still import history by hand under History & feedback.";
    } else if (!status.connected) {
      line.textContent = "Not connected. Connecting imports your top tracks and recent plays "
        + "into your history, and lets you save lists as playlists.";
    } else {
      const synced = status.last_synced_at
        ? `history last synced ${new Date(status.last_synced_at).toLocaleString()}`
        : "history not synced yet";
      line.textContent = `Connected as ${status.spotify_user_id}; ${synced}.`;
    }
    spotifyButtons(status);
  }

  // work() answers with the text (or the nodes) to show under the buttons
  async function spotifyAction(button, work) {
    const result = $("spotify-result");
    button.disabled = true;
    try {
      const answer = await work();
      result.replaceChildren(...(Array.isArray(answer) ? answer : [answer]));
    } catch (err) {
      result.textContent = describeError(err);
    } finally {
      button.disabled = false;
      await openSpotify();
    }
  }

  function wireSpotify() {
    $("spotify-connect").addEventListener("click", () => spotifyAction($("spotify-connect"), async () => {
      const { authorize_url: url } = await api("POST", "/spotify/connect");
      window.location.assign(url);
      return "Taking you to Spotify…";
    }));
    $("spotify-sync").addEventListener("click", () => spotifyAction($("spotify-sync"), async () => {
      const report = await api("POST", "/spotify/sync", { force: true });
      const unknown = report.unknown.length;
      if (report.imported) await startSession().catch(() => undefined);
      return `Synced: ${report.imported} tracks added to your history`
        + (unknown ? `; ${unknown} are not in tunemate's catalogue.` : ".");
    }));
    $("spotify-export").addEventListener("click", () => spotifyAction($("spotify-export"), async () => {
      if (!state.sessionId) return "There is no list to export yet.";
      const playlist = await api("POST", "/spotify/export", { session_id: state.sessionId });
      const link = make("a", "", "open it on Spotify");
      link.href = playlist.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return [`Saved ${playlist.tracks} tracks as a private playlist: `, link, "."];
    }));
    $("spotify-disconnect").addEventListener("click", () => spotifyAction($("spotify-disconnect"), async () => {
      const { disconnected } = await api("DELETE", "/spotify");
      return disconnected ? "Disconnected: the stored Spotify tokens are deleted." : "Spotify was not connected.";
    }));
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
    startSession().catch(() => undefined);
  });

  $("bfi-prev").addEventListener("click", () => turnQuestionnairePage(-1));
  $("bfi-next").addEventListener("click", () => turnQuestionnairePage(1));
  $("bfi-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitQuestionnaire().catch((err) => { $("bfi-error").textContent = describeError(err); });
  });
  $("sliders-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitSliders().catch((err) => { $("sliders-error").textContent = describeError(err); });
  });
  $("skip-onboarding").addEventListener("click", () => {
    save(ONBOARDED_KEY, "skipped");
    $("welcome").hidden = true;
    els.notPersonal.hidden = Boolean(state.personality);
    els.input.focus();
  });
  $("import-form").addEventListener("submit", (event) => {
    event.preventDefault();
    importHistory().catch((err) => { $("import-result").textContent = describeError(err); });
  });
  wireSpotify();
  window.addEventListener("hashchange", showView);

  ensureUser().catch(() => undefined);
  showView();
  startSession().catch(() => undefined);
})();
