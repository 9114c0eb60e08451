-- Mixed traffic for one page (bench/run.py): wrk ... URL -- PLAN KIND EVERY THREADS
--
-- PLAN is bench/mixed_plan.py's file. Each read GETs wrk's URL as the next
-- session of KIND ("participant" or "facilitator") in rotation, each with its
-- own session and CSRF cookie. Every EVERY-th request is a write by the next
-- participant instead, alternately a comment through the comment form (on one
-- of the plan's entries, the CSRF secret as its token) and an autosave of the
-- participant's draft through the editor's JSON endpoint (a comment when they
-- have no draft). The answer tells what the request was: HTML 200 a read, a
-- redirect (not to sign-in) a comment, JSON 200/201 an autosave; anything
-- else is an error, counted by status. done() prints one BENCH_RESULT line
-- (percentiles over every request, writes included) and one MIXED_RESULT line.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function fields(line)
  local found = {}
  for word in line:gmatch("%S+") do
    found[#found + 1] = word
  end
  return found
end

local readers, writers, targets, drafts = {}, {}, {}, {}
local every, n, written = 20, 0, 0

function init(args)
  local kind = args[2]
  every = tonumber(args[3])
  for line in io.lines(args[1]) do
    local f = fields(line)
    local who = { cookie = "sessionid=" .. f[2] .. "; csrftoken=" .. (f[3] or ""), csrf = f[3] }
    if f[1] == kind then
      readers[#readers + 1] = who
    end
    if f[1] == "participant" then
      if f[4] ~= "-" then
        who.autosave = f[4]
        drafts[f[4]] = tonumber(f[5])
      end
      writers[#writers + 1] = who
    elseif f[1] == "entry" then
      targets[#targets + 1] = f[2]
    end
  end
  -- Each thread starts at its own place in the rotations.
  local share = math.floor(#readers / tonumber(args[4]))
  n = thread_index * share
  written = thread_index * math.floor(#writers / tonumber(args[4]))
  reads, comments, autosaves, errors, error_statuses = 0, 0, 0, 0, ""
end

local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local function headers(who, extra)
  local all = { Cookie = who.cookie }
  for k, v in pairs(extra) do
    all[k] = v
  end
  return all
end

local function comment(who)
  local target = targets[(written % #targets) + 1]
  local body = "csrfmiddlewaretoken=" .. who.csrf
    .. "&body=Bench+comment+" .. thread_index .. "-" .. written
  return wrk.format("POST", target .. "comments/", headers(who, form), body)
end

local function autosave(who)
  local body = "csrfmiddlewaretoken=" .. who.csrf
    .. "&base_version=" .. drafts[who.autosave]
    .. "&body=Draft+words+saved+" .. thread_index .. "-" .. written
  local extra = { Accept = "application/json", ["X-CSRFToken"] = who.csrf }
  for k, v in pairs(form) do
    extra[k] = v
  end
  return wrk.format("POST", who.autosave, headers(who, extra), body)
end

local function write()
  written = written + 1
  local who = writers[(written % #writers) + 1]
  if written % 2 == 0 and who.autosave then
    return autosave(who)
  end
  return comment(who)
end

function request()
  n = n + 1
  if n % every == 0 then
    return write()
  end
  return wrk.format("GET", nil, { Cookie = readers[(n % #readers) + 1].cookie })
end

local function error_seen(status)
  errors = errors + 1
  if #error_statuses < 200 then
    error_statuses = error_statuses .. status .. ","
  end
end

function response(status, headers, body)
  local kind = headers["Content-Type"] or ""
  local location = headers["Location"] or ""
  if (status == 200 or status == 201) and kind:find("application/json") then
    autosaves = autosaves + 1
    local url = body:match('"autosave_url": *"([^"]+)"')
    local version = body:match('"version": *(%d+)')
    if url and version and drafts[url] then
      drafts[url] = tonumber(version)
    end
  elseif status == 200 then
    reads = reads + 1
  elseif status == 302 and location ~= "" and not location:find("/accounts/login") then
    comments = comments + 1
  else
    error_seen(status)
  end
end

done = function(summary, latency, requests)
  local total = { reads = 0, comments = 0, autosaves = 0, errors = 0 }
  local statuses = ""
  for _, thread in ipairs(threads) do
    for key, _ in pairs(total) do
      total[key] = total[key] + thread:get(key)
    end
    statuses = statuses .. thread:get("error_statuses")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p95_us=%d p99_us=%d errors_status=%d errors_other=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
  io.write(string.format(
    "MIXED_RESULT reads=%d comments=%d autosaves=%d errors=%d statuses=%s\n",
    total.reads, total.comments, total.autosaves, total.errors,
    statuses == "" and "-" or statuses))
end
