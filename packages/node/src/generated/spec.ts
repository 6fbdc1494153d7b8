// Generated from spec/openapi.yaml by `pnpm generate`. Do not edit.
/* eslint-disable */
export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "Aivah Credits API",
    "version": "0.1.0",
    "summary": "Sell and spend prepaid credits the way Aivah does.",
    "description": "Prepaid credits for apps: a live balance, one-off packages bought through Stripe Checkout,\ncredits consumed by realtime conversations, media generation and calls, holds for sessions whose\ncost is known only at the end, and an immutable ledger behind all of it.\n\n## Conventions\n- Credit amounts are positive integers named `amount`. Money is integer minor units plus an\n  ISO 4217 `currency` (lower case, as Stripe writes it).\n- `{accountId}` is 1–64 characters of `A-Z a-z 0-9 _ -`, or `me` for the caller's own account.\n  An account exists from its first grant; reading the balance of an account without grants\n  answers a zero balance.\n- Every `POST` and `PUT` takes an `Idempotency-Key` header. The same key with the same request\n  returns the original result (with `Idempotent-Replayed: true`); with a different request it is\n  `422 IDEMPOTENCY_KEY_REUSED`; while the first request is still running it is\n  `409 IDEMPOTENCY_KEY_IN_USE` (safe to retry). Keys are kept at least 24 hours, per account.\n- Errors are `application/problem+json` (RFC 9457) with a stable `code` and a `requestId`.\n  The `code`s an operation can answer are listed on each of its error responses.\n- Browser identities act only for their own account (`me` or their own id) with the scopes\n  `credits:read credits:purchase`. Any other account id answers `404 ACCOUNT_NOT_FOUND`, exactly as\n  an account that does not exist, so account ids cannot be probed. A missing scope is `403 FORBIDDEN`.\n",
    "license": {
      "name": "MIT",
      "identifier": "MIT"
    },
    "contact": {
      "name": "Aivah Credits"
    }
  },
  "servers": [
    {
      "url": "/",
      "description": "The server hosting this API (the example server listens on port 8787)."
    }
  ],
  "security": [
    {
      "bearerAuth": []
    }
  ],
  "tags": [
    {
      "name": "Balance",
      "description": "The live balance of an account."
    },
    {
      "name": "Packages",
      "description": "The catalogue of one-off credit packages."
    },
    {
      "name": "Checkout",
      "description": "Buying a package through Stripe Checkout."
    },
    {
      "name": "Consumption",
      "description": "Spending credits, directly or through holds."
    },
    {
      "name": "Ledger",
      "description": "The immutable history of every change, as pages of JSON or a CSV export (the audit trail)."
    },
    {
      "name": "Grants",
      "description": "Adding credits (plans, promotions, adjustments)."
    },
    {
      "name": "Insights",
      "description": "Usage, forecasts and threshold alerts."
    },
    {
      "name": "Billing",
      "description": "The Stripe billing portal."
    },
    {
      "name": "Plans",
      "description": "Plans whose included credits renew every period, roll over up to a cap, and warn before they expire."
    },
    {
      "name": "Payment methods",
      "description": "Cards stored on the account's Stripe Customer."
    },
    {
      "name": "Payments",
      "description": "One-click purchases with a stored card."
    },
    {
      "name": "Auto top-up",
      "description": "Buying a package automatically when credits run low."
    },
    {
      "name": "Purchases",
      "description": "Fulfilled purchases with their Stripe receipts."
    },
    {
      "name": "Webhooks",
      "description": "Inbound webhooks from Stripe."
    }
  ],
  "paths": {
    "/v1/accounts/{accountId}/balance": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "getBalance",
        "summary": "Get the balance",
        "description": "The available and held credits of an account, and its unexpired grants in consumption order. O(1) in the number of ledger entries.",
        "tags": [
          "Balance"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The balance.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Balance"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/balance/stream": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "streamBalance",
        "summary": "Stream the balance (Server-Sent Events)",
        "description": "A `text/event-stream` that sends the current balance at once, then every change within\nmilliseconds (across server instances too). Each `balance` event carries the balance as JSON\nand the balance `version` as its `id`; reconnect with `Last-Event-ID` to skip an unchanged\nbalance. A comment line (`: heartbeat`) is sent every 15 seconds to keep proxies from closing\nthe connection.\n",
        "tags": [
          "Balance"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "name": "Last-Event-ID",
            "in": "header",
            "required": false,
            "description": "The `id` of the last event received; the first event is skipped when the balance version is unchanged.",
            "schema": {
              "type": "string",
              "maxLength": 32
            }
          }
        ],
        "responses": {
          "200": {
            "description": "An event stream. Events:\n\n```\nid: 42\nevent: balance\ndata: {\"accountId\":\"acct_123\",\"available\":2341,\"held\":0,...}\n```\n",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string",
                  "description": "Server-Sent Events. Each `balance` event carries a `BalanceEvent` as `data` and the balance `version` as `id`.",
                  "contentSchema": {
                    "$ref": "#/components/schemas/BalanceEvent"
                  }
                },
                "example": "id: 42\nevent: balance\ndata: {\"accountId\":\"acct_123\",\"available\":2341,\"held\":0,\"deficit\":0,\"grants\":[],\"version\":42,\"updatedAt\":\"2026-11-25T10:00:00.000Z\"}\n\n"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/StreamLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/packages": {
      "get": {
        "operationId": "listCreditPackages",
        "summary": "List credit packages",
        "description": "The server's catalogue of one-off packages. The price of a purchase always comes from here, never from the client.",
        "tags": [
          "Packages"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The packages, cheapest first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CreditPackageList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/checkout-sessions": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "createCheckoutSession",
        "summary": "Start a Stripe checkout for a package",
        "description": "Creates a Stripe Checkout Session for one package of the server catalogue. Redirect the\nbrowser to `url`. Stripe returns to `/payment?state=success&session_id={CHECKOUT_SESSION_ID}`\nor `/payment?state=cancel`. Credits are added exactly once, by whichever comes first: the\n`checkout.session.completed` webhook, `checkout.session.async_payment_succeeded`, or\n`getCheckoutSession` on the success page.\n",
        "tags": [
          "Checkout"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CheckoutSessionCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The checkout session; redirect to its `url`.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CheckoutSession"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "409": {
            "$ref": "#/components/responses/IdempotencyInUse"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/CheckoutUnprocessable"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/checkout-sessions/{sessionId}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        },
        {
          "name": "sessionId",
          "in": "path",
          "required": true,
          "description": "The Stripe Checkout Session id (`cs_…`).",
          "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9_]+$"
          },
          "example": "cs_test_a1b2c3"
        }
      ],
      "get": {
        "operationId": "getCheckoutSession",
        "summary": "Get a checkout session (and fulfil it when paid)",
        "description": "Reads the session from Stripe. When it is paid and not yet fulfilled, adds the package's\ncredits now (exactly once, however many times this and the webhooks run). The success page\ncalls this until `fulfilled` is true.\n",
        "tags": [
          "Checkout"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The checkout session.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CheckoutSession"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/CheckoutSessionNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/consumptions": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "consumeCredits",
        "summary": "Spend credits",
        "description": "Spends `amount` credits now, drawing from the grant that expires soonest first (then lower\npriority number, then oldest). With too few available credits it answers\n`402 INSUFFICIENT_CREDITS` with `available` and `required`, and nothing is deducted.\n",
        "tags": [
          "Consumption"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:consume"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ConsumptionCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The credits were spent.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Consumption"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "402": {
            "$ref": "#/components/responses/InsufficientCredits"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "409": {
            "$ref": "#/components/responses/IdempotencyInUse"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyReused"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/holds": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "createHold",
        "summary": "Reserve credits for a session or call",
        "description": "Reserves `amount` credits until the hold is captured or released, or until `ttlSeconds`\npass (then it releases itself). Held credits are not available to anything else.\n",
        "tags": [
          "Consumption"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:consume"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/HoldCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The hold.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Hold"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "402": {
            "$ref": "#/components/responses/InsufficientCredits"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "409": {
            "$ref": "#/components/responses/IdempotencyInUse"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyReused"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/holds/{holdId}/capture": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        },
        {
          "$ref": "#/components/parameters/HoldId"
        }
      ],
      "post": {
        "operationId": "captureHold",
        "summary": "Capture a hold",
        "description": "Spends `amount` (at most the held amount) and releases the rest, in one step.",
        "tags": [
          "Consumption"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:consume"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/HoldCapture"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The captured hold.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Hold"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/HoldNotFound"
          },
          "409": {
            "$ref": "#/components/responses/HoldConflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/CaptureUnprocessable"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/holds/{holdId}/release": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        },
        {
          "$ref": "#/components/parameters/HoldId"
        }
      ],
      "post": {
        "operationId": "releaseHold",
        "summary": "Release a hold",
        "description": "Returns all held credits to the available balance without spending any.",
        "tags": [
          "Consumption"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:consume"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "responses": {
          "200": {
            "description": "The released hold.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Hold"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/HoldNotFound"
          },
          "409": {
            "$ref": "#/components/responses/HoldConflict"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyReused"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/ledger": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "listLedgerEntries",
        "summary": "List ledger entries",
        "description": "Every change to the account, newest first, with keyset (cursor) pagination that stays stable while new entries arrive. `from` and `to` limit it to the entries created in `[from, to)`; a `from` that is not before `to` is `400 VALIDATION_FAILED`.",
        "tags": [
          "Ledger"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "name": "cursor",
            "in": "query",
            "required": false,
            "description": "The `nextCursor` of the previous page.",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Entries per page.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "type",
            "in": "query",
            "required": false,
            "description": "Only entries of this type.",
            "schema": {
              "$ref": "#/components/schemas/EntryType"
            }
          },
          {
            "$ref": "#/components/parameters/RangeFrom"
          },
          {
            "$ref": "#/components/parameters/RangeTo"
          }
        ],
        "responses": {
          "200": {
            "description": "One page of entries.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LedgerEntryPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/ledger/export": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "exportLedgerEntries",
        "summary": "Export the ledger as CSV",
        "description": "Every entry of the account created in `[from, to)`, newest first, as `text/csv` (RFC 4180,\nUTF-8, CRLF line ends, a header row). The body is streamed as the ledger is read page by\npage, so an export of any size holds only one page in memory; the last line is written\nonce every entry of the range was read.\n\nColumns: `created_at, seq, entry_id, type, amount, balance_after, feature, source,\ngrant_id, hold_id, description, metadata` (`metadata` as a JSON object). A cell that holds\na comma, a double quote, a line break or a leading/trailing space is quoted, with inner\nquotes doubled. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage\nreturn is prefixed with a single quote (`'`), so that a spreadsheet opening the file never\nruns it as a formula (the OWASP advice on CSV injection); numbers are never prefixed.\n",
        "tags": [
          "Ledger"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Start of the range (inclusive). Default the beginning of the ledger.",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "example": "2026-11-01T00:00:00Z"
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "End of the range (exclusive), after `from`. Default now (every entry written before the export started is in it).",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "example": "2026-12-01T00:00:00Z"
          }
        ],
        "responses": {
          "200": {
            "description": "The entries of the range as CSV, newest first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Content-Disposition": {
                "description": "`attachment; filename=\"ledger-<account>-<from>-<to>.csv\"`.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                },
                "example": "created_at,seq,entry_id,type,amount,balance_after,feature,source,grant_id,hold_id,description,metadata\r\n2026-11-25T10:00:00.000Z,2,6f1c…,consume,-5,1995,conversation,,,,,{}\r\n"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/purchases": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "listPurchases",
        "summary": "List purchases",
        "description": "The account's fulfilled purchases, newest first, each with its Stripe receipt or invoice\nURL, with keyset (cursor) pagination like `listLedgerEntries`. A purchase is recorded once,\nwith the grant that credited it, however many times its webhooks arrive; a refund or\ndispute changes its `status`.\n",
        "tags": [
          "Purchases"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "name": "cursor",
            "in": "query",
            "required": false,
            "description": "The `nextCursor` of the previous page.",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Purchases per page.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 100,
              "default": 20
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of purchases.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PurchasePage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/grants": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "createGrant",
        "summary": "Grant credits",
        "description": "Adds credits to an account (creating it on its first grant). Purchases are granted by the server itself from Stripe; use this for plans, promotions and adjustments.",
        "tags": [
          "Grants"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:grant"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/GrantCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The grant.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GrantResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/IdempotencyInUse"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyReused"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/usage": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "getUsageSummary",
        "summary": "Usage by day and by feature, with a forecast",
        "description": "Credits consumed per UTC day and per feature over the last `days` days, the daily average, and when the balance runs out at that pace.",
        "tags": [
          "Insights"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "name": "days",
            "in": "query",
            "required": false,
            "description": "How many days back, ending today (UTC).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 366,
              "default": 30
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The usage summary.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UsageSummary"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/alert-settings": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "getAlertSettings",
        "summary": "Get threshold alert settings",
        "description": "When `balance.low` fires. Defaults to 25% of the trailing 30-day usage.",
        "tags": [
          "Insights"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The settings.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertSettings"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "put": {
        "operationId": "updateAlertSettings",
        "summary": "Update threshold alert settings",
        "description": "An absolute threshold in credits, or a percentage of the trailing 30-day usage. `balance.low` fires once per downward crossing.",
        "tags": [
          "Insights"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AlertSettingsUpdate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The stored settings.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertSettings"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/billing-portal-sessions": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "createBillingPortalSession",
        "summary": "Open the Stripe billing portal",
        "description": "A short-lived URL of the Stripe billing portal, for payment methods and invoices.",
        "tags": [
          "Billing"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/BillingPortalSessionCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The portal session; redirect to its `url`.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BillingPortalSession"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/payment-methods": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "listPaymentMethods",
        "summary": "List the stored cards",
        "description": "The cards saved on the account's Stripe Customer (by Checkout, which saves the card for later\noff-session use), newest first. The first one is what `createPayment` charges by default.\n",
        "tags": [
          "Payment methods"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The stored cards.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PaymentMethodList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/payment-methods/{paymentMethodId}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        },
        {
          "$ref": "#/components/parameters/PaymentMethodId"
        }
      ],
      "delete": {
        "operationId": "deletePaymentMethod",
        "summary": "Remove a stored card",
        "description": "Detaches the card from the account's Stripe Customer: it is never charged again, by one-click\npurchases or auto top-up. A card of another customer answers `404 PAYMENT_METHOD_NOT_FOUND`,\nexactly as a card that does not exist.\n",
        "tags": [
          "Payment methods"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The removed card.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PaymentMethod"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/PaymentMethodNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/payments": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "post": {
        "operationId": "createPayment",
        "summary": "Buy a package with a stored card (one click)",
        "description": "Charges a stored card off-session for one package of the server catalogue (the price never\ncomes from the client) and credits it exactly once, by whichever comes first: this answer or\nthe `payment_intent.succeeded` webhook. The answer is the payment in one of four states:\n- `succeeded`: credited (`fulfilled: true`, `balance`);\n- `processing`: the bank has not answered yet; the webhook credits it (poll `getPayment`);\n- `requires_action`: the bank asks the buyer to authenticate. Nothing was charged or credited;\n  send the browser to `nextActionUrl` (a Stripe Checkout for the same package);\n- `failed`: declined (`failureCode`, `failureMessage`); nothing was charged or credited.\n\nWithout `paymentMethodId` the newest stored card is charged; without any stored card the\nanswer is `409 PAYMENT_METHOD_REQUIRED` (buy through `createCheckoutSession`, which saves one).\n",
        "tags": [
          "Payments"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PaymentCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The payment.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Payment"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/PaymentMethodNotFound"
          },
          "409": {
            "$ref": "#/components/responses/PaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/CheckoutUnprocessable"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/payments/{paymentId}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        },
        {
          "name": "paymentId",
          "in": "path",
          "required": true,
          "description": "The Stripe PaymentIntent id (`pi_…`) of a one-click purchase.",
          "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9_]+$"
          },
          "example": "pi_3a1b2c3"
        }
      ],
      "get": {
        "operationId": "getPayment",
        "summary": "Get a one-click payment (and credit it when paid)",
        "description": "Reads the PaymentIntent from Stripe and credits it when it succeeded (exactly once, as the webhook does).",
        "tags": [
          "Payments"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The payment.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Payment"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/PaymentNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/auto-top-up": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "getAutoTopUp",
        "summary": "Get the auto top-up settings and state",
        "description": "The settings, this month's use of the cap, the latest top-up, and the in-app `notice` to show\nwhen a top-up needs the buyer (`action_required`, with `actionUrl`) or auto top-up paused\nafter declines (`failed`).\n",
        "tags": [
          "Auto top-up"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The settings and state.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AutoTopUp"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "put": {
        "operationId": "updateAutoTopUp",
        "summary": "Update the auto top-up settings",
        "description": "When available credits cross below the threshold (an absolute amount, or a percentage of the\ntrailing 30-day usage), the server buys `packageId` with the newest stored card, at most\nonce per crossing, one top-up at a time, within the monthly cap. Enabling it while already\nbelow the threshold starts a top-up at once; enabling it again resumes a paused auto top-up.\nEnabling it needs a stored card (`409 PAYMENT_METHOD_REQUIRED` otherwise).\n",
        "tags": [
          "Auto top-up"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AutoTopUpUpdate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The stored settings.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AutoTopUp"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "409": {
            "$ref": "#/components/responses/PaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/CheckoutUnprocessable"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/plans": {
      "get": {
        "operationId": "listPlans",
        "summary": "List plans",
        "description": "The server's plan catalogue. A plan's credits and price always come from here, never from the client.",
        "tags": [
          "Plans"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The plans, cheapest first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PlanList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/v1/accounts/{accountId}/plan": {
      "parameters": [
        {
          "$ref": "#/components/parameters/AccountId"
        }
      ],
      "get": {
        "operationId": "getPlan",
        "summary": "Get the account's plan",
        "description": "The account's plan, its current period and renewal, and its allowance: the plan credits\nleft this period, the credits carried over from the last one, and what will roll over.\nAn account without a plan answers `status: none`.\n",
        "tags": [
          "Plans"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:read"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The plan.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccountPlan"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "put": {
        "operationId": "changePlan",
        "summary": "Change the account's plan",
        "description": "Moves the account to a catalogue plan.\n- No plan yet: the plan starts now, and its first period's credits are granted at once.\n- Upgrade (more credits per period): takes effect now, and the difference of the included\n  credits is granted at once, prorated by the time left in the period and rounded down:\n  `floor((new - old) * timeLeft / periodLength)`. The period and its renewal date stay.\n- Downgrade (fewer credits, or a free plan): takes effect at the period end\n  (`pendingPlan`); the current period's credits stay. Choosing the current plan again\n  while a downgrade is pending cancels the downgrade.\n- A paid plan chosen by a browser identity goes through Stripe Checkout (subscription\n  mode): the answer carries `checkoutUrl`, and the plan changes when the first invoice is\n  paid. A server key assigns any plan directly (billing is then its own business).\n- An account whose paid plan Stripe bills changes that subscription (whoever asks; a second\n  one never starts). An upgrade is invoiced at once for the prorated price difference: once\n  that invoice is paid, the answer is `now` with the prorated credits `granted`; an invoice\n  the saved card did not pay answers `checkout` with the invoice's page as `checkoutUrl`,\n  and the plan changes when it is paid. A downgrade bills nothing now: the next period's\n  invoice charges the lower price (`period_end`). A free plan ends the subscription at its\n  period end (`period_end`).\nEvery period's grant is made exactly once per account and period, whoever triggers it.\nPeriods the server renews that were missed while it was down are granted late, in order\n(at most 12 before the current one), each expiring at its own period end.\n",
        "tags": [
          "Plans"
        ],
        "security": [
          {
            "bearerAuth": [
              "credits:purchase"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKeyRequired"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PlanChangeCreate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The change, and the plan after it.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PlanChange"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequestIdempotent"
          },
          "401": {
            "$ref": "#/components/responses/Unauthenticated"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/AccountNotFound"
          },
          "409": {
            "$ref": "#/components/responses/IdempotencyInUse"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/PlanUnprocessable"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "502": {
            "$ref": "#/components/responses/PaymentProviderError"
          },
          "503": {
            "$ref": "#/components/responses/PaymentsNotConfiguredOrUnavailable"
          }
        }
      }
    },
    "/v1/webhooks/stripe": {
      "post": {
        "operationId": "receiveStripeWebhook",
        "summary": "Receive a Stripe webhook",
        "description": "Stripe's events, verified on the raw body against the `Stripe-Signature` header\n(300 s tolerance). Handles `checkout.session.completed`,\n`checkout.session.async_payment_succeeded`, `checkout.session.async_payment_failed`,\n`checkout.session.expired`, `payment_intent.succeeded` (one-click purchases and auto\ntop-ups), `payment_intent.payment_failed`, `payment_method.attached` (a new card resumes a\npaused auto top-up), `invoice.paid`, `customer.subscription.updated` and\n`customer.subscription.deleted` (paid plans), and `charge.refunded` and\n`charge.dispute.created` (of a purchase, or of a plan's subscription invoice: its plan\ngrant is reversed, spent credits becoming a deficit); other types are acknowledged and\nignored.\n",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "name": "Stripe-Signature",
            "in": "header",
            "required": true,
            "description": "Stripe's signature header (`t=…,v1=…`).",
            "schema": {
              "type": "string",
              "maxLength": 2048
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StripeEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The event was verified and handled (or ignored).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebhookAck"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/WebhookRejected"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    }
  },
  "webhooks": {
    "credits.purchased": {
      "post": {
        "operationId": "onCreditsPurchased",
        "summary": "Credits were purchased",
        "description": "A package purchase was fulfilled. Sent once per purchase.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreditsPurchasedEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "credits.consumed": {
      "post": {
        "operationId": "onCreditsConsumed",
        "summary": "Credits were consumed",
        "description": "Credits were spent by a consumption or a hold capture.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreditsConsumedEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "balance.low": {
      "post": {
        "operationId": "onBalanceLow",
        "summary": "The balance fell below the alert threshold",
        "description": "Sent once per downward crossing of the threshold, not on every consumption.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/BalanceLowEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "balance.depleted": {
      "post": {
        "operationId": "onBalanceDepleted",
        "summary": "The available balance reached zero",
        "description": "Sent when a debit leaves no available credits.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/BalanceDepletedEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "grant.expiring": {
      "post": {
        "operationId": "onGrantExpiring",
        "summary": "A grant's unspent credits expire soon",
        "description": "A grant with unspent credits expires within a lead time (by default 7 days and 1 day).\nSent once per grant and lead time; when a grant is already within several lead times, only\nthe shortest is sent.\n",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/GrantExpiringEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "grant.expired": {
      "post": {
        "operationId": "onGrantExpired",
        "summary": "A grant expired with credits left",
        "description": "The unspent rest of a grant stopped counting at its expiry.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/GrantExpiredEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "topup.action_required": {
      "post": {
        "operationId": "onTopUpActionRequired",
        "summary": "An auto top-up needs the buyer",
        "description": "The bank asked for authentication of an automatic top-up. Nothing was charged; send the buyer to `actionUrl`.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TopUpActionRequiredEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    },
    "topup.failed": {
      "post": {
        "operationId": "onTopUpFailed",
        "summary": "Auto top-up paused after failed charges",
        "description": "Every attempt to charge an automatic top-up failed (declined); auto top-up is paused until a manual purchase, a new card or enabling it again.",
        "tags": [
          "Webhooks"
        ],
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookId"
          },
          {
            "$ref": "#/components/parameters/WebhookTimestamp"
          },
          {
            "$ref": "#/components/parameters/WebhookSignature"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TopUpFailedEvent"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Any 2xx acknowledges the event; anything else is retried with backoff."
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "A server key (`sk_…`) acts for any account with the scopes `credits:read credits:consume\ncredits:grant credits:purchase`. A browser identity (a session token resolved by the\nserver's `identify` hook) acts only for its own account with `credits:read credits:purchase`.\nThe scopes an operation needs are listed in its `security` requirement.\n"
      }
    },
    "parameters": {
      "AccountId": {
        "name": "accountId",
        "in": "path",
        "required": true,
        "description": "The account, or `me` for the caller's own account.",
        "schema": {
          "type": "string",
          "pattern": "^[A-Za-z0-9_-]{1,64}$"
        },
        "example": "me"
      },
      "HoldId": {
        "name": "holdId",
        "in": "path",
        "required": true,
        "description": "The hold id returned by `createHold`.",
        "schema": {
          "type": "string",
          "pattern": "^[A-Za-z0-9_-]{1,64}$"
        },
        "example": "hold_01JD4Z6N7W"
      },
      "PaymentMethodId": {
        "name": "paymentMethodId",
        "in": "path",
        "required": true,
        "description": "The Stripe PaymentMethod id (`pm_…`) from `listPaymentMethods`.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[A-Za-z0-9_]+$"
        },
        "example": "pm_1a2b3c"
      },
      "RangeFrom": {
        "name": "from",
        "in": "query",
        "required": false,
        "description": "Only entries created at or after this instant (inclusive).",
        "schema": {
          "type": "string",
          "format": "date-time"
        },
        "example": "2026-11-01T00:00:00Z"
      },
      "RangeTo": {
        "name": "to",
        "in": "query",
        "required": false,
        "description": "Only entries created before this instant (exclusive); after `from`.",
        "schema": {
          "type": "string",
          "format": "date-time"
        },
        "example": "2026-12-01T00:00:00Z"
      },
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "A unique key per logical operation; retries reuse it. The SDK sends one on every POST and PUT.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[\\x21-\\x7E]+$"
        },
        "example": "9b2f4c1e-5d7a-4d8e-9f3b-2a1c6e8d0f4b"
      },
      "IdempotencyKeyRequired": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": true,
        "description": "A unique key per logical operation; retries reuse it. Required here because this operation\nmoves credits or money: a retry without a key could apply it twice, so a request without one\nis `400 IDEMPOTENCY_KEY_MISSING`. The SDK sends one on every POST and PUT.\n",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[\\x21-\\x7E]+$"
        },
        "example": "9b2f4c1e-5d7a-4d8e-9f3b-2a1c6e8d0f4b"
      },
      "WebhookId": {
        "name": "webhook-id",
        "in": "header",
        "required": true,
        "description": "The event id; the same on every delivery attempt (deduplicate on it).",
        "schema": {
          "type": "string"
        }
      },
      "WebhookTimestamp": {
        "name": "webhook-timestamp",
        "in": "header",
        "required": true,
        "description": "Seconds since the epoch when this attempt was signed.",
        "schema": {
          "type": "string"
        }
      },
      "WebhookSignature": {
        "name": "webhook-signature",
        "in": "header",
        "required": true,
        "description": "Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">`, space-separated when several.",
        "schema": {
          "type": "string"
        }
      }
    },
    "headers": {
      "RequestId": {
        "description": "The id of this request, also in every problem body as `requestId`.",
        "schema": {
          "type": "string"
        }
      },
      "IdempotentReplayed": {
        "description": "`true` when the response is the stored result of an earlier request with the same `Idempotency-Key`.",
        "schema": {
          "type": "string",
          "enum": [
            "true"
          ]
        }
      },
      "RetryAfter": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "integer"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request is malformed or does not match the schema.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "VALIDATION_FAILED",
                        "MALFORMED_JSON"
                      ]
                    }
                  }
                }
              ]
            },
            "example": {
              "type": "https://docs.aivah.dev/errors/validation_failed",
              "title": "Validation failed",
              "status": 400,
              "code": "VALIDATION_FAILED",
              "detail": "body/amount must be an integer >= 1",
              "requestId": "req_01JD4Z6N7WQ",
              "errors": [
                {
                  "path": "/amount",
                  "message": "must be >= 1"
                }
              ]
            }
          }
        }
      },
      "BadRequestIdempotent": {
        "description": "The request is malformed, does not match the schema, or has no `Idempotency-Key`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "VALIDATION_FAILED",
                        "MALFORMED_JSON",
                        "IDEMPOTENCY_KEY_MISSING"
                      ]
                    }
                  }
                }
              ]
            },
            "example": {
              "type": "https://docs.aivah.dev/errors/idempotency_key_missing",
              "title": "Idempotency key missing",
              "status": 400,
              "code": "IDEMPOTENCY_KEY_MISSING",
              "detail": "This operation moves credits or money; send an Idempotency-Key header and reuse it when you retry.",
              "requestId": "req_01JD4Z6N7WQ"
            }
          }
        }
      },
      "Unauthenticated": {
        "description": "No valid credentials.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "UNAUTHENTICATED"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "Forbidden": {
        "description": "The credentials lack a scope this operation needs.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "FORBIDDEN"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "AccountNotFound": {
        "description": "No such account, or not one the caller may act for.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "ACCOUNT_NOT_FOUND"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "HoldNotFound": {
        "description": "No such hold on this account (or the account is not the caller's).",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "HOLD_NOT_FOUND",
                        "ACCOUNT_NOT_FOUND"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "CheckoutSessionNotFound": {
        "description": "No such checkout session for this account.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "CHECKOUT_SESSION_NOT_FOUND",
                        "ACCOUNT_NOT_FOUND"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "InsufficientCredits": {
        "description": "Too few available credits; nothing was deducted.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/InsufficientCreditsProblem"
            },
            "example": {
              "type": "https://docs.aivah.dev/errors/insufficient_credits",
              "title": "Insufficient credits",
              "status": 402,
              "code": "INSUFFICIENT_CREDITS",
              "detail": "This needs 50 credits but only 12 are available.",
              "requestId": "req_01JD4Z6N7WQ",
              "available": 12,
              "required": 50
            }
          }
        }
      },
      "IdempotencyInUse": {
        "description": "A request with the same `Idempotency-Key` is still running. Retry later.",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "IDEMPOTENCY_KEY_IN_USE"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "HoldConflict": {
        "description": "The hold is no longer active, or its key is in use.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "HOLD_NOT_ACTIVE",
                        "IDEMPOTENCY_KEY_IN_USE"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "IdempotencyReused": {
        "description": "The `Idempotency-Key` was already used with a different request.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "IDEMPOTENCY_KEY_REUSED"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "CaptureUnprocessable": {
        "description": "The capture is larger than the hold, or the key was used for another request.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "CAPTURE_EXCEEDS_HOLD",
                        "IDEMPOTENCY_KEY_REUSED"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "CheckoutUnprocessable": {
        "description": "Unknown package, or the key was used for another request.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PACKAGE_NOT_FOUND",
                        "IDEMPOTENCY_KEY_REUSED"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PlanUnprocessable": {
        "description": "Unknown plan (`PLAN_NOT_FOUND`), the plan the account already has with nothing pending\n(`PLAN_UNCHANGED`), or the key was used for another request. Nothing was granted.\n",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PLAN_NOT_FOUND",
                        "PLAN_UNCHANGED",
                        "IDEMPOTENCY_KEY_REUSED"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PaymentMethodNotFound": {
        "description": "No such stored card on this account's customer (or the account is not the caller's).",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PAYMENT_METHOD_NOT_FOUND",
                        "ACCOUNT_NOT_FOUND"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PaymentNotFound": {
        "description": "No such one-click payment for this account.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PAYMENT_NOT_FOUND",
                        "ACCOUNT_NOT_FOUND"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PaymentConflict": {
        "description": "`PAYMENT_METHOD_REQUIRED`: the account has no stored card (buy through Checkout, which saves\none). `IDEMPOTENCY_KEY_IN_USE`: a request with this key is still running.\n",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PAYMENT_METHOD_REQUIRED",
                        "IDEMPOTENCY_KEY_IN_USE"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is larger than 64 kB.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "PAYLOAD_TOO_LARGE"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The body is not `application/json`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "UNSUPPORTED_MEDIA_TYPE"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "RateLimited": {
        "description": "Too many requests. Retry after `Retry-After` seconds.",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "RATE_LIMITED"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "StreamLimited": {
        "description": "Too many requests, or this identity already holds the most live balance streams the server\nallows (`TOO_MANY_STREAMS`: close one, or poll `getBalance`).\n",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "RATE_LIMITED",
                        "TOO_MANY_STREAMS"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "ServiceUnavailable": {
        "description": "The database cannot be reached right now (restart, failover, network). Nothing was applied\nthat the answer does not say; retry after `Retry-After` seconds with the same `Idempotency-Key`.\n",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "SERVICE_UNAVAILABLE"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "InternalError": {
        "description": "An unexpected server error. Safe to retry with the same `Idempotency-Key`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "INTERNAL_ERROR"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PaymentProviderError": {
        "description": "Stripe answered with an error.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "const": "PAYMENT_PROVIDER_ERROR"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "PaymentsNotConfiguredOrUnavailable": {
        "description": "`PAYMENTS_NOT_CONFIGURED`: the server has no payment provider configured (a configuration\nerror: retrying does not help). `SERVICE_UNAVAILABLE`: the database cannot be reached right\nnow; retry after `Retry-After` seconds with the same `Idempotency-Key`.\n",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "PAYMENTS_NOT_CONFIGURED",
                        "SERVICE_UNAVAILABLE"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "WebhookRejected": {
        "description": "The signature is missing, wrong or stale, or the body is not a Stripe event. Nothing was credited.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "code": {
                      "enum": [
                        "WEBHOOK_SIGNATURE_INVALID",
                        "MALFORMED_JSON"
                      ]
                    }
                  }
                }
              ]
            }
          }
        }
      }
    },
    "schemas": {
      "ErrorCode": {
        "type": "string",
        "description": "Stable, machine-readable error codes. New codes may be added; existing ones never change meaning.",
        "enum": [
          "VALIDATION_FAILED",
          "MALFORMED_JSON",
          "UNAUTHENTICATED",
          "INSUFFICIENT_CREDITS",
          "FORBIDDEN",
          "NOT_FOUND",
          "ACCOUNT_NOT_FOUND",
          "HOLD_NOT_FOUND",
          "CHECKOUT_SESSION_NOT_FOUND",
          "PACKAGE_NOT_FOUND",
          "METHOD_NOT_ALLOWED",
          "IDEMPOTENCY_KEY_IN_USE",
          "HOLD_NOT_ACTIVE",
          "PAYLOAD_TOO_LARGE",
          "UNSUPPORTED_MEDIA_TYPE",
          "IDEMPOTENCY_KEY_REUSED",
          "CAPTURE_EXCEEDS_HOLD",
          "RATE_LIMITED",
          "WEBHOOK_SIGNATURE_INVALID",
          "INTERNAL_ERROR",
          "PAYMENT_PROVIDER_ERROR",
          "PAYMENTS_NOT_CONFIGURED",
          "SERVICE_UNAVAILABLE",
          "IDEMPOTENCY_KEY_MISSING",
          "TOO_MANY_STREAMS",
          "PAYMENT_METHOD_NOT_FOUND",
          "PAYMENT_METHOD_REQUIRED",
          "PAYMENT_NOT_FOUND",
          "PLAN_NOT_FOUND",
          "PLAN_UNCHANGED"
        ]
      },
      "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem with a stable `code` and the request id.",
        "required": [
          "type",
          "title",
          "status",
          "code",
          "requestId"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "A URI naming the problem type.",
            "example": "https://docs.aivah.dev/errors/validation_failed"
          },
          "title": {
            "type": "string",
            "description": "A short, human-readable summary of the problem type."
          },
          "status": {
            "type": "integer",
            "description": "The HTTP status code.",
            "minimum": 400,
            "maximum": 599
          },
          "detail": {
            "type": "string",
            "description": "What went wrong with this request and how to fix it."
          },
          "instance": {
            "type": "string",
            "description": "The request path."
          },
          "code": {
            "$ref": "#/components/schemas/ErrorCode"
          },
          "requestId": {
            "type": "string",
            "description": "The id of the request, for support."
          },
          "errors": {
            "type": "array",
            "description": "Field-level validation errors (for `VALIDATION_FAILED`).",
            "items": {
              "type": "object",
              "required": [
                "path",
                "message"
              ],
              "properties": {
                "path": {
                  "type": "string",
                  "description": "JSON pointer into the request (`/amount`, `query/limit`, `header/Idempotency-Key`)."
                },
                "message": {
                  "type": "string",
                  "description": "What is wrong with it."
                }
              }
            }
          }
        }
      },
      "InsufficientCreditsProblem": {
        "description": "`402 INSUFFICIENT_CREDITS`: how many credits were needed and how many were available.",
        "allOf": [
          {
            "$ref": "#/components/schemas/Problem"
          },
          {
            "type": "object",
            "required": [
              "available",
              "required"
            ],
            "properties": {
              "code": {
                "const": "INSUFFICIENT_CREDITS"
              },
              "available": {
                "type": "integer",
                "minimum": 0,
                "description": "Credits available at the time of the request."
              },
              "required": {
                "type": "integer",
                "minimum": 1,
                "description": "Credits the request needed."
              }
            }
          }
        ]
      },
      "Money": {
        "type": "object",
        "description": "An amount of money in minor units.",
        "required": [
          "amount",
          "currency"
        ],
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 0,
            "description": "Minor units (cents for USD).",
            "example": 1000
          },
          "currency": {
            "type": "string",
            "pattern": "^[a-z]{3}$",
            "description": "ISO 4217 code, lower case.",
            "example": "usd"
          }
        }
      },
      "GrantSource": {
        "type": "string",
        "enum": [
          "plan",
          "purchase",
          "promo",
          "adjustment"
        ],
        "description": "Where a grant's credits came from."
      },
      "Feature": {
        "type": "string",
        "description": "What credits are spent on. `conversation`, `media_generation`, `call`, or an app's own name.",
        "pattern": "^[a-z][a-z0-9_.-]{0,63}$",
        "examples": [
          "conversation",
          "media_generation",
          "call"
        ]
      },
      "Metadata": {
        "type": "object",
        "description": "Up to 20 string key-value pairs of your own.",
        "maxProperties": 20,
        "propertyNames": {
          "maxLength": 40
        },
        "additionalProperties": {
          "type": "string",
          "maxLength": 500
        }
      },
      "GrantBalance": {
        "type": "object",
        "description": "An unexpired grant with credits left.",
        "required": [
          "id",
          "source",
          "amount",
          "remaining",
          "expiresAt",
          "priority",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The grant id."
          },
          "source": {
            "$ref": "#/components/schemas/GrantSource"
          },
          "amount": {
            "type": "integer",
            "description": "Credits granted."
          },
          "remaining": {
            "type": "integer",
            "description": "Credits left, including any held."
          },
          "expiresAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When the rest stops counting; null never."
          },
          "priority": {
            "type": "integer",
            "description": "Lower is consumed first among grants with the same expiry."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the grant was made."
          },
          "rolloverCap": {
            "type": "integer",
            "minimum": 1,
            "description": "Plan grants only: most of the unspent credits that carry into a new grant at expiry."
          },
          "carriedFrom": {
            "type": "string",
            "description": "Carried-over credits only: the plan grant they rolled over from."
          }
        }
      },
      "ExpiringCredits": {
        "type": "object",
        "description": "The credits that expire next, and when.",
        "required": [
          "amount",
          "expiresAt"
        ],
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits left in the grants with the soonest expiry (held credits included)."
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time",
            "description": "When they stop counting."
          }
        }
      },
      "Balance": {
        "type": "object",
        "description": "The credits of an account.",
        "required": [
          "accountId",
          "available",
          "held",
          "deficit",
          "grants",
          "version",
          "updatedAt"
        ],
        "properties": {
          "accountId": {
            "type": "string",
            "description": "The account id (never `me`)."
          },
          "available": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits that can be spent now."
          },
          "held": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits reserved by open holds."
          },
          "deficit": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits owed after a refund or dispute of credits already spent; later grants repay it first."
          },
          "grants": {
            "type": "array",
            "description": "Unexpired grants with credits left, in consumption order.",
            "items": {
              "$ref": "#/components/schemas/GrantBalance"
            }
          },
          "expiringNext": {
            "description": "The credits that expire next and when; null when no credits expire.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/ExpiringCredits"
              },
              {
                "type": "null"
              }
            ]
          },
          "version": {
            "type": "integer",
            "minimum": 0,
            "description": "Increases with every change (the sequence number of the last ledger entry)."
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the balance last changed."
          }
        },
        "example": {
          "accountId": "acct_123",
          "available": 2341,
          "held": 0,
          "deficit": 0,
          "grants": [
            {
              "id": "grant_01JD4Z",
              "source": "plan",
              "amount": 3000,
              "remaining": 2341,
              "expiresAt": "2026-12-01T00:00:00Z",
              "priority": 50,
              "createdAt": "2026-11-01T00:00:00Z"
            }
          ],
          "version": 42,
          "updatedAt": "2026-11-25T10:00:00Z"
        }
      },
      "BalanceEvent": {
        "type": "object",
        "description": "The `data` of a `balance` event on the stream: the balance as JSON. The event `id` is its `version`.",
        "allOf": [
          {
            "$ref": "#/components/schemas/Balance"
          }
        ]
      },
      "CreditPackage": {
        "type": "object",
        "description": "A one-off package of credits.",
        "required": [
          "id",
          "name",
          "credits",
          "price"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The package id.",
            "example": "credits_2000"
          },
          "name": {
            "type": "string",
            "description": "Display name.",
            "example": "2,000 Credits"
          },
          "credits": {
            "type": "integer",
            "minimum": 1,
            "description": "Credits added by one purchase.",
            "example": 2000
          },
          "price": {
            "$ref": "#/components/schemas/Money"
          }
        }
      },
      "CreditPackageList": {
        "type": "object",
        "description": "The catalogue.",
        "required": [
          "data"
        ],
        "properties": {
          "data": {
            "type": "array",
            "description": "The packages, cheapest first.",
            "items": {
              "$ref": "#/components/schemas/CreditPackage"
            }
          }
        },
        "example": {
          "data": [
            {
              "id": "credits_2000",
              "name": "2,000 Credits",
              "credits": 2000,
              "price": {
                "amount": 1000,
                "currency": "usd"
              }
            },
            {
              "id": "credits_5000",
              "name": "5,000 Credits",
              "credits": 5000,
              "price": {
                "amount": 2000,
                "currency": "usd"
              }
            }
          ]
        }
      },
      "Plan": {
        "type": "object",
        "description": "A plan of the catalogue; its credits are granted every period.",
        "required": [
          "id",
          "name",
          "credits",
          "interval",
          "rolloverCap",
          "price"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The plan id.",
            "example": "starter"
          },
          "name": {
            "type": "string",
            "description": "Display name.",
            "example": "Starter"
          },
          "credits": {
            "type": "integer",
            "minimum": 1,
            "description": "Credits included each period.",
            "example": 3000
          },
          "interval": {
            "type": "string",
            "enum": [
              "month",
              "year"
            ],
            "description": "How often the plan renews (UTC calendar months from the day it started)."
          },
          "rolloverCap": {
            "type": "integer",
            "minimum": 0,
            "description": "Most unused credits that carry into the next period (0 none).",
            "example": 1000
          },
          "price": {
            "$ref": "#/components/schemas/Money"
          }
        }
      },
      "PlanList": {
        "type": "object",
        "description": "The plan catalogue.",
        "required": [
          "data"
        ],
        "properties": {
          "data": {
            "type": "array",
            "description": "The plans, cheapest first.",
            "items": {
              "$ref": "#/components/schemas/Plan"
            }
          }
        }
      },
      "PlanAllowance": {
        "type": "object",
        "description": "The plan credits of the current period.",
        "required": [
          "included",
          "remaining",
          "carriedOver",
          "rollsOver",
          "expiresAt"
        ],
        "properties": {
          "included": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits the plan includes each period."
          },
          "remaining": {
            "type": "integer",
            "minimum": 0,
            "description": "Plan credits of this period not yet spent (an upgrade's prorated credits included)."
          },
          "carriedOver": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits carried over from the last period, not yet spent; they expire at the period end."
          },
          "rollsOver": {
            "type": "integer",
            "minimum": 0,
            "description": "Of `remaining`, the credits that carry into the next period if left unspent (up to the rollover cap)."
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time",
            "description": "When this period's plan credits expire (the period end)."
          }
        }
      },
      "AccountPlan": {
        "type": "object",
        "description": "The plan of an account and its current period.",
        "required": [
          "accountId",
          "status",
          "plan",
          "pendingPlan",
          "cancelAtPeriodEnd",
          "periodStart",
          "periodEnd",
          "renewsAt",
          "billing",
          "allowance"
        ],
        "properties": {
          "accountId": {
            "type": "string",
            "description": "The account id (never `me`)."
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "ended",
              "none"
            ],
            "description": "`active` renews at `periodEnd`; `ended` was cancelled; `none` never had a plan."
          },
          "plan": {
            "description": "The plan in force; null without one.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/Plan"
              },
              {
                "type": "null"
              }
            ]
          },
          "pendingPlan": {
            "description": "The plan that takes over at `periodEnd` (a downgrade); null when the same plan renews.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/Plan"
              },
              {
                "type": "null"
              }
            ]
          },
          "cancelAtPeriodEnd": {
            "type": "boolean",
            "description": "The plan stops renewing at `periodEnd`."
          },
          "periodStart": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "Start of the current period."
          },
          "periodEnd": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "End of the current period."
          },
          "renewsAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When the next period's credits are granted; null when the plan does not renew."
          },
          "billing": {
            "type": "string",
            "enum": [
              "server",
              "stripe"
            ],
            "description": "Who renews it: the server's scheduler (free or server-assigned plans) or a paid Stripe subscription."
          },
          "allowance": {
            "description": "The plan credits of the current period; null without an active period.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/PlanAllowance"
              },
              {
                "type": "null"
              }
            ]
          }
        },
        "example": {
          "accountId": "acct_123",
          "status": "active",
          "plan": {
            "id": "starter",
            "name": "Starter",
            "credits": 3000,
            "interval": "month",
            "rolloverCap": 1500,
            "price": {
              "amount": 1500,
              "currency": "usd"
            }
          },
          "pendingPlan": null,
          "cancelAtPeriodEnd": false,
          "periodStart": "2026-11-01T00:00:00Z",
          "periodEnd": "2026-12-01T00:00:00Z",
          "renewsAt": "2026-12-01T00:00:00Z",
          "billing": "server",
          "allowance": {
            "included": 3000,
            "remaining": 2341,
            "carriedOver": 0,
            "rollsOver": 1500,
            "expiresAt": "2026-12-01T00:00:00Z"
          }
        }
      },
      "PlanChangeCreate": {
        "type": "object",
        "description": "The plan to move to. Its credits and price come from the server catalogue.",
        "required": [
          "planId"
        ],
        "additionalProperties": false,
        "properties": {
          "planId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "A plan id of `listPlans`.",
            "example": "pro"
          }
        }
      },
      "PlanChange": {
        "type": "object",
        "description": "What a plan change did.",
        "required": [
          "effective",
          "granted",
          "checkoutUrl",
          "plan"
        ],
        "properties": {
          "effective": {
            "type": "string",
            "enum": [
              "now",
              "period_end",
              "checkout"
            ],
            "description": "`now` (a first plan or an upgrade), `period_end` (a downgrade, or a pending change dropped), or `checkout` (pay at `checkoutUrl` first: a Checkout, or an upgrade invoice the saved card did not pay)."
          },
          "granted": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits granted by the change itself (a first period, or an upgrade's prorated difference)."
          },
          "checkoutUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "Where to pay for a paid plan or an upgrade (`effective: checkout`): a Stripe Checkout, or the hosted page of the upgrade's invoice; null otherwise."
          },
          "plan": {
            "$ref": "#/components/schemas/AccountPlan"
          }
        }
      },
      "CheckoutSessionCreate": {
        "type": "object",
        "description": "Which package to buy. The price comes from the server catalogue.",
        "required": [
          "packageId"
        ],
        "additionalProperties": false,
        "properties": {
          "packageId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "A package id from `listCreditPackages`.",
            "example": "credits_2000"
          }
        }
      },
      "CheckoutSession": {
        "type": "object",
        "description": "A Stripe Checkout Session for a package, and whether its credits were added.",
        "required": [
          "id",
          "accountId",
          "packageId",
          "credits",
          "amountTotal",
          "currency",
          "status",
          "paymentStatus",
          "fulfilled",
          "url"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The Stripe Checkout Session id.",
            "example": "cs_test_a1b2c3"
          },
          "accountId": {
            "type": "string",
            "description": "The buying account."
          },
          "packageId": {
            "type": "string",
            "description": "The package bought."
          },
          "credits": {
            "type": "integer",
            "description": "Credits the package adds."
          },
          "amountTotal": {
            "type": "integer",
            "description": "Amount in minor units."
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217, lower case."
          },
          "status": {
            "type": "string",
            "enum": [
              "open",
              "complete",
              "expired"
            ],
            "description": "Stripe's session status."
          },
          "paymentStatus": {
            "type": "string",
            "enum": [
              "paid",
              "unpaid",
              "no_payment_required"
            ],
            "description": "Stripe's payment status."
          },
          "fulfilled": {
            "type": "boolean",
            "description": "True once the credits were added to the account."
          },
          "url": {
            "type": [
              "string",
              "null"
            ],
            "description": "Where to send the browser to pay (null once complete or expired)."
          },
          "balance": {
            "description": "The balance after fulfilment (present once fulfilled).",
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "ConsumptionCreate": {
        "type": "object",
        "description": "Credits to spend.",
        "required": [
          "amount",
          "feature"
        ],
        "additionalProperties": false,
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000000,
            "description": "Credits to spend.",
            "example": 5
          },
          "feature": {
            "$ref": "#/components/schemas/Feature"
          },
          "description": {
            "type": "string",
            "maxLength": 500,
            "description": "Shown in the ledger.",
            "example": "Avatar chat message"
          },
          "metadata": {
            "$ref": "#/components/schemas/Metadata"
          }
        }
      },
      "Consumption": {
        "type": "object",
        "description": "The result of a consumption.",
        "required": [
          "entry",
          "balance"
        ],
        "properties": {
          "entry": {
            "$ref": "#/components/schemas/LedgerEntry"
          },
          "balance": {
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "HoldCreate": {
        "type": "object",
        "description": "Credits to reserve.",
        "required": [
          "amount",
          "feature"
        ],
        "additionalProperties": false,
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000000,
            "description": "Credits to reserve.",
            "example": 300
          },
          "feature": {
            "$ref": "#/components/schemas/Feature"
          },
          "ttlSeconds": {
            "type": "integer",
            "minimum": 1,
            "maximum": 86400,
            "default": 900,
            "description": "Seconds until the hold releases itself."
          },
          "description": {
            "type": "string",
            "maxLength": 500,
            "description": "Shown in the ledger."
          },
          "metadata": {
            "$ref": "#/components/schemas/Metadata"
          }
        }
      },
      "HoldCapture": {
        "type": "object",
        "description": "Credits to spend from the hold; the rest is released.",
        "required": [
          "amount"
        ],
        "additionalProperties": false,
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000,
            "description": "Credits to spend, at most the held amount.",
            "example": 120
          },
          "description": {
            "type": "string",
            "maxLength": 500,
            "description": "Shown in the ledger."
          }
        }
      },
      "Hold": {
        "type": "object",
        "description": "A reservation of credits.",
        "required": [
          "id",
          "accountId",
          "amount",
          "captured",
          "feature",
          "status",
          "expiresAt",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The hold id."
          },
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "amount": {
            "type": "integer",
            "description": "Credits reserved."
          },
          "captured": {
            "type": "integer",
            "description": "Credits spent at capture."
          },
          "feature": {
            "type": "string",
            "description": "What the hold is for."
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "captured",
              "released",
              "expired"
            ],
            "description": "The hold's state."
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time",
            "description": "When an active hold releases itself."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the hold was made."
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the hold last changed."
          },
          "description": {
            "type": [
              "string",
              "null"
            ],
            "description": "Shown in the ledger."
          },
          "metadata": {
            "$ref": "#/components/schemas/Metadata"
          },
          "balance": {
            "description": "The balance right after this operation.",
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "EntryType": {
        "type": "string",
        "enum": [
          "grant",
          "consume",
          "hold",
          "hold_capture",
          "hold_release",
          "hold_expire",
          "grant_expired",
          "reversal",
          "rollover"
        ],
        "description": "The kind of change. `rollover` (amount 0) moves a plan grant's unspent credits, up to the\nplan's rollover cap, into a new grant for the next period; its `grantId` is the new grant.\n"
      },
      "LedgerEntry": {
        "type": "object",
        "description": "One immutable change of an account's credits.",
        "required": [
          "id",
          "accountId",
          "seq",
          "type",
          "amount",
          "balanceAfter",
          "feature",
          "grantId",
          "holdId",
          "source",
          "description",
          "metadata",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The entry id."
          },
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "seq": {
            "type": "integer",
            "minimum": 1,
            "description": "Per-account sequence number."
          },
          "type": {
            "$ref": "#/components/schemas/EntryType"
          },
          "amount": {
            "type": "integer",
            "description": "Signed change of the balance (available + held)."
          },
          "balanceAfter": {
            "type": "integer",
            "description": "Balance (available + held) after this entry."
          },
          "feature": {
            "type": [
              "string",
              "null"
            ],
            "description": "For spending entries, what the credits were spent on."
          },
          "grantId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The grant created or expired by this entry."
          },
          "holdId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The hold this entry belongs to."
          },
          "source": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/GrantSource"
              },
              {
                "type": "null"
              }
            ],
            "description": "For grants, where the credits came from."
          },
          "description": {
            "type": [
              "string",
              "null"
            ],
            "description": "Free text."
          },
          "metadata": {
            "$ref": "#/components/schemas/Metadata"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the change happened."
          }
        }
      },
      "LedgerEntryPage": {
        "type": "object",
        "description": "One page of ledger entries.",
        "required": [
          "data",
          "nextCursor",
          "hasMore"
        ],
        "properties": {
          "data": {
            "type": "array",
            "description": "Entries, newest first.",
            "items": {
              "$ref": "#/components/schemas/LedgerEntry"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` for the next (older) page; null on the last page."
          },
          "hasMore": {
            "type": "boolean",
            "description": "Whether another page exists."
          }
        }
      },
      "PurchaseStatus": {
        "type": "string",
        "enum": [
          "paid",
          "partially_refunded",
          "refunded",
          "disputed"
        ],
        "description": "`paid`: credited and kept. `partially_refunded` / `refunded`: Stripe refunded part or all of\nthe payment and the credits were reversed in proportion. `disputed`: the buyer's bank\nopened a dispute and the credits were reversed.\n"
      },
      "Purchase": {
        "type": "object",
        "description": "A fulfilled purchase of a credit package, from Stripe Checkout or a direct payment.",
        "required": [
          "id",
          "accountId",
          "status",
          "packageId",
          "credits",
          "creditsReversed",
          "amountTotal",
          "currency",
          "grantId",
          "checkoutSessionId",
          "paymentIntentId",
          "invoiceId",
          "receiptUrl",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The purchase id."
          },
          "accountId": {
            "type": "string",
            "description": "The buying account."
          },
          "status": {
            "$ref": "#/components/schemas/PurchaseStatus"
          },
          "packageId": {
            "type": "string",
            "description": "The package bought.",
            "example": "credits_2000"
          },
          "credits": {
            "type": "integer",
            "description": "Credits the purchase added.",
            "example": 2000
          },
          "creditsReversed": {
            "type": "integer",
            "minimum": 0,
            "description": "Credits taken back by refunds or disputes so far."
          },
          "amountTotal": {
            "type": "integer",
            "minimum": 0,
            "description": "Amount paid, minor units.",
            "example": 1000
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217, lower case.",
            "example": "usd"
          },
          "grantId": {
            "type": "string",
            "description": "The grant that credited it (its ledger entries name it)."
          },
          "checkoutSessionId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The Stripe Checkout Session, for purchases made through Checkout."
          },
          "paymentIntentId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The Stripe PaymentIntent that took the money."
          },
          "invoiceId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The Stripe invoice, when one was created."
          },
          "receiptUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "Stripe's hosted invoice page, or else the charge's receipt page; null until Stripe has one."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the purchase was credited."
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the receipt or status last changed."
          }
        }
      },
      "PurchasePage": {
        "type": "object",
        "description": "One page of purchases.",
        "required": [
          "data",
          "nextCursor",
          "hasMore"
        ],
        "properties": {
          "data": {
            "type": "array",
            "description": "Purchases, newest first.",
            "items": {
              "$ref": "#/components/schemas/Purchase"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` for the next (older) page; null on the last page."
          },
          "hasMore": {
            "type": "boolean",
            "description": "Whether another page exists."
          }
        }
      },
      "GrantCreate": {
        "type": "object",
        "description": "Credits to add.",
        "required": [
          "amount",
          "source"
        ],
        "additionalProperties": false,
        "properties": {
          "amount": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000000,
            "description": "Credits to add.",
            "example": 2341
          },
          "source": {
            "$ref": "#/components/schemas/GrantSource"
          },
          "expiresAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When unspent credits stop counting; absent or null never."
          },
          "priority": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100,
            "default": 50,
            "description": "Lower is consumed first among grants with the same expiry."
          },
          "description": {
            "type": "string",
            "maxLength": 500,
            "description": "Shown in the ledger."
          },
          "metadata": {
            "$ref": "#/components/schemas/Metadata"
          }
        }
      },
      "GrantResult": {
        "type": "object",
        "description": "The created grant.",
        "required": [
          "grantId",
          "entry",
          "balance"
        ],
        "properties": {
          "grantId": {
            "type": "string",
            "description": "The grant id."
          },
          "entry": {
            "$ref": "#/components/schemas/LedgerEntry"
          },
          "balance": {
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "UsageDay": {
        "type": "object",
        "description": "Credits consumed on one UTC day.",
        "required": [
          "date",
          "total",
          "byFeature"
        ],
        "properties": {
          "date": {
            "type": "string",
            "format": "date",
            "description": "The UTC day."
          },
          "total": {
            "type": "integer",
            "description": "Credits consumed that day."
          },
          "byFeature": {
            "type": "object",
            "description": "Credits per feature that day.",
            "additionalProperties": {
              "type": "integer"
            }
          }
        }
      },
      "UsageSummary": {
        "type": "object",
        "description": "Usage and a forecast.",
        "required": [
          "accountId",
          "from",
          "to",
          "days",
          "total",
          "byDay",
          "byFeature",
          "forecast"
        ],
        "properties": {
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "from": {
            "type": "string",
            "format": "date-time",
            "description": "Start of the range (inclusive)."
          },
          "to": {
            "type": "string",
            "format": "date-time",
            "description": "End of the range (exclusive)."
          },
          "days": {
            "type": "integer",
            "description": "Days in the range."
          },
          "total": {
            "type": "integer",
            "description": "Credits consumed in the range."
          },
          "byDay": {
            "type": "array",
            "description": "One row per day, oldest first, days without usage included.",
            "items": {
              "$ref": "#/components/schemas/UsageDay"
            }
          },
          "byFeature": {
            "type": "array",
            "description": "Totals per feature, largest first.",
            "items": {
              "type": "object",
              "required": [
                "feature",
                "total"
              ],
              "properties": {
                "feature": {
                  "type": "string",
                  "description": "The feature."
                },
                "total": {
                  "type": "integer",
                  "description": "Credits consumed by it."
                }
              }
            }
          },
          "forecast": {
            "$ref": "#/components/schemas/UsageForecast"
          }
        }
      },
      "UsageForecast": {
        "type": "object",
        "description": "Where the balance goes at the recent pace.",
        "required": [
          "dailyAverage",
          "projected30Days",
          "available",
          "daysLeft",
          "depletionDate"
        ],
        "properties": {
          "dailyAverage": {
            "type": "number",
            "description": "Average credits per day over the range."
          },
          "projected30Days": {
            "type": "integer",
            "description": "Credits the next 30 days will use at that pace."
          },
          "available": {
            "type": "integer",
            "description": "Credits available now."
          },
          "daysLeft": {
            "type": [
              "number",
              "null"
            ],
            "description": "Days until the available credits run out at that pace; null without usage."
          },
          "depletionDate": {
            "type": [
              "string",
              "null"
            ],
            "format": "date",
            "description": "The UTC day they run out; null without usage."
          }
        }
      },
      "AlertSettings": {
        "type": "object",
        "description": "When `balance.low` fires.",
        "required": [
          "accountId",
          "enabled",
          "mode",
          "threshold",
          "percent",
          "effectiveThreshold",
          "low",
          "updatedAt"
        ],
        "properties": {
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "enabled": {
            "type": "boolean",
            "description": "Whether alerts fire."
          },
          "mode": {
            "type": "string",
            "enum": [
              "absolute",
              "usage_percent"
            ],
            "description": "`absolute`: below `threshold` credits. `usage_percent`: below `percent` % of the trailing 30-day usage."
          },
          "threshold": {
            "type": [
              "integer",
              "null"
            ],
            "description": "The absolute threshold in credits."
          },
          "percent": {
            "type": "number",
            "description": "Percentage of trailing 30-day usage."
          },
          "effectiveThreshold": {
            "type": "integer",
            "description": "The threshold in credits in force now."
          },
          "low": {
            "type": "boolean",
            "description": "True while the balance is below the threshold (after the alert fired)."
          },
          "updatedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When the settings were last changed; null for defaults."
          }
        }
      },
      "AlertSettingsUpdate": {
        "type": "object",
        "description": "New alert settings.",
        "required": [
          "mode"
        ],
        "additionalProperties": false,
        "properties": {
          "enabled": {
            "type": "boolean",
            "default": true,
            "description": "Whether alerts fire."
          },
          "mode": {
            "type": "string",
            "enum": [
              "absolute",
              "usage_percent"
            ],
            "description": "How the threshold is set."
          },
          "threshold": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 1000000000,
            "description": "Required for `absolute`."
          },
          "percent": {
            "type": "number",
            "minimum": 1,
            "maximum": 1000,
            "default": 25,
            "description": "For `usage_percent`."
          }
        }
      },
      "BillingPortalSessionCreate": {
        "type": "object",
        "description": "Where the portal returns to.",
        "additionalProperties": false,
        "properties": {
          "returnUrl": {
            "type": "string",
            "format": "uri",
            "maxLength": 2048,
            "description": "Absolute URL of a page of this app to return to (its origin must be the app's); default the app's home."
          }
        }
      },
      "BillingPortalSession": {
        "type": "object",
        "description": "A Stripe billing portal session.",
        "required": [
          "url"
        ],
        "properties": {
          "url": {
            "type": "string",
            "description": "Redirect the browser here."
          }
        }
      },
      "PaymentMethod": {
        "type": "object",
        "description": "A card stored on the account's Stripe Customer. Only the last four digits are ever shown.",
        "required": [
          "id",
          "brand",
          "last4",
          "expMonth",
          "expYear",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The Stripe PaymentMethod id (`pm_…`).",
            "example": "pm_1a2b3c"
          },
          "brand": {
            "type": "string",
            "description": "`visa`, `mastercard`, `amex`, …",
            "example": "visa"
          },
          "last4": {
            "type": "string",
            "description": "The last four digits.",
            "example": "4242"
          },
          "expMonth": {
            "type": "integer",
            "description": "Expiry month, 1–12."
          },
          "expYear": {
            "type": "integer",
            "description": "Expiry year."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the card was saved."
          }
        }
      },
      "PaymentMethodList": {
        "type": "object",
        "description": "The stored cards, newest first.",
        "required": [
          "data"
        ],
        "properties": {
          "data": {
            "type": "array",
            "description": "The cards.",
            "items": {
              "$ref": "#/components/schemas/PaymentMethod"
            }
          }
        }
      },
      "PaymentCreate": {
        "type": "object",
        "description": "Which package to buy, and optionally which stored card. The price comes from the server catalogue.",
        "required": [
          "packageId"
        ],
        "additionalProperties": false,
        "properties": {
          "packageId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "A package id from `listCreditPackages`.",
            "example": "credits_2000"
          },
          "paymentMethodId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9_]+$",
            "description": "A stored card from `listPaymentMethods`; default the newest."
          }
        }
      },
      "Payment": {
        "type": "object",
        "description": "A one-click purchase with a stored card (a Stripe PaymentIntent), and whether its credits were added.",
        "required": [
          "id",
          "accountId",
          "packageId",
          "credits",
          "amountTotal",
          "currency",
          "status",
          "fulfilled",
          "paymentMethod",
          "nextActionUrl",
          "failureCode",
          "failureMessage"
        ],
        "properties": {
          "id": {
            "type": [
              "string",
              "null"
            ],
            "description": "The Stripe PaymentIntent id; null when Stripe refused before creating one.",
            "example": "pi_3a1b2c3"
          },
          "accountId": {
            "type": "string",
            "description": "The buying account."
          },
          "packageId": {
            "type": "string",
            "description": "The package bought."
          },
          "credits": {
            "type": "integer",
            "description": "Credits the package adds."
          },
          "amountTotal": {
            "type": "integer",
            "description": "Amount in minor units."
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217, lower case."
          },
          "status": {
            "type": "string",
            "enum": [
              "succeeded",
              "processing",
              "requires_action",
              "failed"
            ],
            "description": "See `createPayment`."
          },
          "fulfilled": {
            "type": "boolean",
            "description": "True once the credits were added to the account."
          },
          "paymentMethod": {
            "description": "The card charged.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/PaymentMethod"
              },
              {
                "type": "null"
              }
            ]
          },
          "nextActionUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "For `requires_action`, where to send the browser to authenticate and pay (a Stripe Checkout for the same package)."
          },
          "failureCode": {
            "type": [
              "string",
              "null"
            ],
            "description": "For `failed` and `requires_action`, Stripe's code (`card_declined`, `authentication_required`, …)."
          },
          "failureMessage": {
            "type": [
              "string",
              "null"
            ],
            "description": "For people."
          },
          "balance": {
            "description": "The balance after fulfilment (present once fulfilled).",
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "TopUp": {
        "type": "object",
        "description": "One automatic top-up, started by a downward crossing of the threshold.",
        "required": [
          "id",
          "packageId",
          "credits",
          "amountTotal",
          "currency",
          "status",
          "attempts",
          "paymentIntentId",
          "actionUrl",
          "lastError",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The top-up id."
          },
          "packageId": {
            "type": "string",
            "description": "The package bought."
          },
          "credits": {
            "type": "integer",
            "description": "Credits it adds."
          },
          "amountTotal": {
            "type": "integer",
            "description": "Amount charged, minor units."
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217, lower case."
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "succeeded",
              "action_required",
              "failed",
              "canceled"
            ],
            "description": "`pending` while being charged or retried; `canceled` when a manual purchase made it unnecessary."
          },
          "attempts": {
            "type": "integer",
            "description": "Failed charges so far."
          },
          "paymentIntentId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The last Stripe PaymentIntent of its charge."
          },
          "actionUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "For `action_required`, where the buyer completes the payment."
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ],
            "description": "Why the last charge failed."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the threshold was crossed."
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the top-up last changed."
          }
        }
      },
      "AutoTopUpNotice": {
        "type": "object",
        "description": "What to tell the user in the app.",
        "required": [
          "kind",
          "message",
          "actionUrl",
          "occurredAt"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "action_required",
              "failed"
            ],
            "description": "`action_required`: the bank asks the buyer to confirm the top-up. `failed`: auto top-up paused after declines."
          },
          "message": {
            "type": "string",
            "description": "A sentence for people."
          },
          "actionUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "Where the buyer completes the payment (`action_required`)."
          },
          "occurredAt": {
            "type": "string",
            "format": "date-time",
            "description": "When it happened."
          }
        }
      },
      "AutoTopUp": {
        "type": "object",
        "description": "Auto top-up settings and state.",
        "required": [
          "accountId",
          "enabled",
          "mode",
          "threshold",
          "percent",
          "effectiveThreshold",
          "packageId",
          "monthlyCountCap",
          "monthlyAmountCap",
          "state",
          "usedThisMonth",
          "latest",
          "notice",
          "updatedAt"
        ],
        "properties": {
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "enabled": {
            "type": "boolean",
            "description": "Whether crossings start top-ups."
          },
          "mode": {
            "type": "string",
            "enum": [
              "absolute",
              "usage_percent"
            ],
            "description": "`absolute`: below `threshold` credits. `usage_percent`: below `percent` % of the trailing 30-day usage."
          },
          "threshold": {
            "type": [
              "integer",
              "null"
            ],
            "description": "The absolute threshold in credits."
          },
          "percent": {
            "type": "number",
            "description": "Percentage of trailing 30-day usage."
          },
          "effectiveThreshold": {
            "type": "integer",
            "description": "The threshold in credits in force now."
          },
          "packageId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The package each top-up buys; null when never set."
          },
          "monthlyCountCap": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Most top-ups per UTC calendar month; null for no limit."
          },
          "monthlyAmountCap": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Most money charged by top-ups per UTC calendar month, minor units; null for no limit."
          },
          "state": {
            "type": "string",
            "enum": [
              "ok",
              "action_required",
              "paused"
            ],
            "description": "`action_required`: a top-up waits for the buyer. `paused`: charges kept failing; a manual purchase, a new card or enabling again resumes."
          },
          "usedThisMonth": {
            "type": "object",
            "description": "Top-ups this month that count against the cap (charged or in flight).",
            "required": [
              "count",
              "amount",
              "currency"
            ],
            "properties": {
              "count": {
                "type": "integer",
                "description": "How many."
              },
              "amount": {
                "type": "integer",
                "description": "Money, minor units."
              },
              "currency": {
                "type": "string",
                "description": "ISO 4217, lower case."
              }
            }
          },
          "latest": {
            "description": "The most recent top-up.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/TopUp"
              },
              {
                "type": "null"
              }
            ]
          },
          "notice": {
            "description": "The in-app notice to show, or null.",
            "oneOf": [
              {
                "$ref": "#/components/schemas/AutoTopUpNotice"
              },
              {
                "type": "null"
              }
            ]
          },
          "updatedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When the settings were last changed; null for defaults."
          }
        }
      },
      "AutoTopUpUpdate": {
        "type": "object",
        "description": "New auto top-up settings.",
        "required": [
          "enabled",
          "mode",
          "packageId"
        ],
        "additionalProperties": false,
        "properties": {
          "enabled": {
            "type": "boolean",
            "description": "Whether crossings start top-ups."
          },
          "mode": {
            "type": "string",
            "enum": [
              "absolute",
              "usage_percent"
            ],
            "description": "How the threshold is set."
          },
          "threshold": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 1000000000,
            "description": "Required for `absolute`."
          },
          "percent": {
            "type": "number",
            "minimum": 1,
            "maximum": 1000,
            "default": 25,
            "description": "For `usage_percent`."
          },
          "packageId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "The package each top-up buys, from `listCreditPackages`.",
            "example": "credits_5000"
          },
          "monthlyCountCap": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 1000,
            "description": "Most top-ups per UTC calendar month; null or absent for no limit."
          },
          "monthlyAmountCap": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 100000000,
            "description": "Most money charged per UTC calendar month, minor units; null or absent for no limit."
          }
        }
      },
      "StripeEvent": {
        "type": "object",
        "description": "A Stripe event, verified on the raw body before it is read.",
        "required": [
          "id",
          "type"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The Stripe event id (`evt_…`)."
          },
          "type": {
            "type": "string",
            "description": "The event type."
          }
        },
        "additionalProperties": true
      },
      "WebhookAck": {
        "type": "object",
        "description": "The event was received.",
        "required": [
          "received"
        ],
        "properties": {
          "received": {
            "type": "boolean",
            "const": true,
            "description": "Always true."
          }
        }
      },
      "WebhookEventBase": {
        "type": "object",
        "description": "The envelope of every outbound webhook.",
        "required": [
          "id",
          "type",
          "createdAt",
          "accountId",
          "data"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The event id (also the `webhook-id` header)."
          },
          "type": {
            "type": "string",
            "description": "The event type."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the event happened."
          },
          "accountId": {
            "type": "string",
            "description": "The account."
          },
          "data": {
            "type": "object",
            "description": "Event-specific fields."
          }
        }
      },
      "CreditsPurchasedEvent": {
        "description": "`credits.purchased`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "credits.purchased"
              },
              "data": {
                "type": "object",
                "required": [
                  "grantId",
                  "packageId",
                  "credits",
                  "checkoutSessionId",
                  "amountTotal",
                  "currency",
                  "available"
                ],
                "properties": {
                  "grantId": {
                    "type": "string",
                    "description": "The purchase grant."
                  },
                  "packageId": {
                    "type": "string",
                    "description": "The package."
                  },
                  "credits": {
                    "type": "integer",
                    "description": "Credits added."
                  },
                  "checkoutSessionId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The Stripe Checkout Session; null for a purchase paid without Checkout (stored card, auto top-up)."
                  },
                  "paymentIntentId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The Stripe PaymentIntent that paid."
                  },
                  "trigger": {
                    "type": "string",
                    "enum": [
                      "checkout",
                      "saved_card",
                      "auto_top_up"
                    ],
                    "description": "What started the purchase."
                  },
                  "amountTotal": {
                    "type": "integer",
                    "description": "Amount paid, minor units."
                  },
                  "currency": {
                    "type": "string",
                    "description": "ISO 4217, lower case."
                  },
                  "available": {
                    "type": "integer",
                    "description": "Available credits after the purchase."
                  }
                }
              }
            }
          }
        ]
      },
      "CreditsConsumedEvent": {
        "description": "`credits.consumed`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "credits.consumed"
              },
              "data": {
                "type": "object",
                "required": [
                  "entryId",
                  "amount",
                  "feature",
                  "available"
                ],
                "properties": {
                  "entryId": {
                    "type": "string",
                    "description": "The ledger entry."
                  },
                  "amount": {
                    "type": "integer",
                    "description": "Credits spent."
                  },
                  "feature": {
                    "type": "string",
                    "description": "On what."
                  },
                  "holdId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The captured hold, if any."
                  },
                  "available": {
                    "type": "integer",
                    "description": "Available credits after."
                  }
                }
              }
            }
          }
        ]
      },
      "BalanceLowEvent": {
        "description": "`balance.low`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "balance.low"
              },
              "data": {
                "type": "object",
                "required": [
                  "available",
                  "threshold"
                ],
                "properties": {
                  "available": {
                    "type": "integer",
                    "description": "Available credits now."
                  },
                  "threshold": {
                    "type": "integer",
                    "description": "The threshold crossed."
                  }
                }
              }
            }
          }
        ]
      },
      "BalanceDepletedEvent": {
        "description": "`balance.depleted`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "balance.depleted"
              },
              "data": {
                "type": "object",
                "required": [
                  "available"
                ],
                "properties": {
                  "available": {
                    "type": "integer",
                    "description": "Always 0."
                  }
                }
              }
            }
          }
        ]
      },
      "GrantExpiredEvent": {
        "description": "`grant.expired`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "grant.expired"
              },
              "data": {
                "type": "object",
                "required": [
                  "grantId",
                  "expired",
                  "available"
                ],
                "properties": {
                  "grantId": {
                    "type": "string",
                    "description": "The grant."
                  },
                  "expired": {
                    "type": "integer",
                    "description": "Credits that stopped counting."
                  },
                  "available": {
                    "type": "integer",
                    "description": "Available credits after."
                  }
                }
              }
            }
          }
        ]
      },
      "TopUpActionRequiredEvent": {
        "description": "`topup.action_required`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "topup.action_required"
              },
              "data": {
                "type": "object",
                "required": [
                  "topUpId",
                  "packageId",
                  "credits",
                  "amountTotal",
                  "currency",
                  "paymentIntentId",
                  "actionUrl"
                ],
                "properties": {
                  "topUpId": {
                    "type": "string",
                    "description": "The top-up."
                  },
                  "packageId": {
                    "type": "string",
                    "description": "The package."
                  },
                  "credits": {
                    "type": "integer",
                    "description": "Credits it would add."
                  },
                  "amountTotal": {
                    "type": "integer",
                    "description": "Amount, minor units."
                  },
                  "currency": {
                    "type": "string",
                    "description": "ISO 4217, lower case."
                  },
                  "paymentIntentId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The PaymentIntent that needed authentication."
                  },
                  "actionUrl": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Where the buyer completes the payment."
                  }
                }
              }
            }
          }
        ]
      },
      "TopUpFailedEvent": {
        "description": "`topup.failed`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "topup.failed"
              },
              "data": {
                "type": "object",
                "required": [
                  "topUpId",
                  "packageId",
                  "credits",
                  "amountTotal",
                  "currency",
                  "paymentIntentId",
                  "attempts",
                  "reason"
                ],
                "properties": {
                  "topUpId": {
                    "type": "string",
                    "description": "The top-up."
                  },
                  "packageId": {
                    "type": "string",
                    "description": "The package."
                  },
                  "credits": {
                    "type": "integer",
                    "description": "Credits it would have added."
                  },
                  "amountTotal": {
                    "type": "integer",
                    "description": "Amount, minor units."
                  },
                  "currency": {
                    "type": "string",
                    "description": "ISO 4217, lower case."
                  },
                  "paymentIntentId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The last PaymentIntent."
                  },
                  "attempts": {
                    "type": "integer",
                    "description": "Charges tried."
                  },
                  "reason": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Stripe's code of the last failure (`card_declined`, …)."
                  }
                }
              }
            }
          }
        ]
      },
      "GrantExpiringEvent": {
        "description": "`grant.expiring`",
        "allOf": [
          {
            "$ref": "#/components/schemas/WebhookEventBase"
          },
          {
            "type": "object",
            "properties": {
              "type": {
                "const": "grant.expiring"
              },
              "data": {
                "type": "object",
                "required": [
                  "grantId",
                  "source",
                  "amount",
                  "expiresAt",
                  "leadTimeSeconds"
                ],
                "properties": {
                  "grantId": {
                    "type": "string",
                    "description": "The grant."
                  },
                  "source": {
                    "$ref": "#/components/schemas/GrantSource"
                  },
                  "amount": {
                    "type": "integer",
                    "description": "Its credits left when the warning was made (held credits included)."
                  },
                  "expiresAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When they stop counting."
                  },
                  "leadTimeSeconds": {
                    "type": "integer",
                    "description": "The lead time this warning is for (e.g. 604800 for 7 days)."
                  }
                }
              }
            }
          }
        ]
      }
    }
  }
} as const;
