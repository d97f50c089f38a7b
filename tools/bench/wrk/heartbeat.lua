-- wrk: POST /services/svc-K/heartbeat with no body, K going round the 1,000 seeded names.
local k = 0
request = function()
    k = (k + 1) % 1000
    return wrk.format("POST", "/services/svc-" .. k .. "/heartbeat", nil, nil)
end
