import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { createScrubber, REDACTED, SecretScrubber, secretsIn } from '../../src/security';

const scrubber = new SecretScrubber();

interface Case {
  name: string;
  text: string;
  /** Must be gone from the output. */
  secrets: string[];
  /** Context that must survive. */
  keep: string[];
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcHMtYm90IiwiaWF0IjoxNzE0NTY3ODkwfQ.Zq3mH8w0dX2yVb7kQ1rT9uE4pL6sN5aC0gF8jK2mR4s';
const LARK_TENANT = 't-g1044qeGEDXTB6NDJOGV4JQKREJVTK3SE5QEEUJU';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM_BODY = 'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB';

const corpus: Case[] = [
  {
    name: 'connection string in an alert',
    text: '[FIRING:1] PostgresDown prod: cannot connect postgres://orders_app:Xk9#mPq2/vL@db-primary.prod.svc:5432/orders (pod checkout-7d9f8c6b5-x2k4z)',
    secrets: ['Xk9#mPq2/vL', 'mPq2'],
    keep: ['postgres://orders_app:', '@db-primary.prod.svc:5432/orders', 'checkout-7d9f8c6b5-x2k4z'],
  },
  {
    name: 'redis, mongodb+srv, amqp and https credentials',
    text: 'redis://:r3d1sPa55@cache-1:6379/0 mongodb+srv://admin:M0ng0Pw!@cluster0.ab12c.mongodb.net/app amqp://guest:Gu3stPw9@rabbit.mq:5672 https://deploy-bot:ghs_pw12345@git.example.com/org/repo.git',
    secrets: ['r3d1sPa55', 'M0ng0Pw!', 'Gu3stPw9', 'ghs_pw12345'],
    keep: ['redis://:[redacted]@cache-1:6379/0', 'mongodb+srv://admin:[redacted]@cluster0', 'amqp://guest:[redacted]@rabbit.mq', 'https://deploy-bot:[redacted]@git.example.com'],
  },
  {
    name: 'Authorization headers',
    text: `curl -H "Authorization: Bearer ${JWT}" -H 'Authorization: Basic YWRtaW46aHVudGVyMg==' -H "X-Api-Key: 5f4dcc3b5aa765d61d8327deb882cf99" https://api.internal/v1/orders`,
    secrets: [JWT, 'YWRtaW46aHVudGVyMg==', '5f4dcc3b5aa765d61d8327deb882cf99'],
    keep: ['Authorization: Bearer [redacted]', 'Authorization: Basic [redacted]', 'X-Api-Key: [redacted]', 'https://api.internal/v1/orders'],
  },
  {
    name: 'Lark tenant token after Bearer and alone',
    text: `lark send failed: POST /open-apis/im/v1/messages Authorization=Bearer ${LARK_TENANT}; cached tenant_access_token ${LARK_TENANT} expires in 7200`,
    secrets: [LARK_TENANT],
    keep: ['/open-apis/im/v1/messages', 'expires in 7200'],
  },
  {
    name: 'key=value, key: value and JSON pairs',
    text: 'DB_PASSWORD=hunter2 user=alice spring.datasource.password: Sup3rS3cret host=db-1\n{"username":"bob","client_secret":"cs_live_8f7e6d","apiKey":"k-12345678","replicas":3}\n{\'passwd\': \'p@ss w0rd\'}',
    secrets: ['hunter2', 'Sup3rS3cret', 'cs_live_8f7e6d', 'k-12345678', 'p@ss w0rd'],
    keep: ['DB_PASSWORD=[redacted]', 'user=alice', 'host=db-1', '"username":"bob"', '"client_secret":"[redacted]"', '"replicas":3', "'passwd': '[redacted]'"],
  },
  {
    name: 'JSON stringified inside a log message',
    text: 'payload={\\"user\\":\\"carol\\",\\"password\\":\\"c4r0l-pw\\",\\"token\\":\\"tok-998877\\"}',
    secrets: ['c4r0l-pw', 'tok-998877'],
    keep: ['\\"user\\":\\"carol\\"', '\\"password\\":\\"[redacted]\\"'],
  },
  {
    name: 'cloud and SaaS keys in tool output',
    text: [
      `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE`,
      `found key AKIAIOSFODNN7EXAMPLE with secret ${AWS_SECRET} in ~/.aws/credentials`,
      'GH ghp_R2d2C3poBb8Yoda1Luke2Leia3Han4Chewie5, fine-grained github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefghijKLMNOPQRSTUVWX',
      'oauth gho_16C7e42F292c6912E7710c838347Ae178B4a',
      'slack bot xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'openai sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56 anthropic sk-ant-api03-Zx98Yw76Vu54Ts32Rq10-PoNmLkJi',
      'maps AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
    ].join('\n'),
    secrets: [
      'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET,
      'ghp_R2d2C3poBb8Yoda1Luke2Leia3Han4Chewie5',
      'github_pat_11ABCDEFG0aBcDeFgHiJkL',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      'xoxb-123456789012',
      'sk-proj-Ab12Cd34',
      'sk-ant-api03',
      'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
    ],
    keep: ['AWS_ACCESS_KEY_ID=', '~/.aws/credentials', 'slack bot', 'maps'],
  },
  {
    name: 'PEM private key, complete and cut off',
    text: `key material:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\nthen a truncated one: "-----BEGIN OPENSSH PRIVATE KEY-----\\n${PEM_BODY.slice(0, 80)}`,
    secrets: [PEM_BODY.slice(0, 40), PEM_BODY.slice(-40), PEM_BODY.slice(60, 80)],
    keep: ['-----BEGIN RSA PRIVATE KEY-----[redacted]-----END RSA PRIVATE KEY-----', 'then a truncated one'],
  },
  {
    name: 'stack trace with secrets in the message and frames',
    text: [
      'Error: password authentication failed for user "orders_app" (dsn=postgres://orders_app:Pg-S3cret-77@10.0.3.14:5432/orders)',
      `    at Connection.parseE (/app/node_modules/pg/lib/connection.js:614:13) token=${JWT}`,
      '    at Socket.<anonymous> (/app/node_modules/pg/lib/connection.js:143:22)',
    ].join('\n'),
    secrets: ['Pg-S3cret-77', JWT],
    keep: ['password authentication failed for user "orders_app"', '/app/node_modules/pg/lib/connection.js:614:13', 'Socket.<anonymous>'],
  },
  {
    name: 'ODBC and libpq connection strings',
    text: 'Driver={ODBC Driver 18};Server=sql-1.prod;Uid=sa;Pwd=Odbc!Pw9;Encrypt=yes\nhost=db-1 port=5432 user=app password=Lib-pq-pw1 dbname=orders',
    secrets: ['Odbc!Pw9', 'Lib-pq-pw1'],
    keep: ['Server=sql-1.prod;Uid=sa;Pwd=[redacted];Encrypt=yes', 'host=db-1 port=5432 user=app password=[redacted] dbname=orders'],
  },
  {
    name: 'XML config and underscores in bearer tokens',
    text: '<datasource><user>app</user><password>Xml-pw-31</password><ns:apiKey>xk_live_4242</ns:apiKey></datasource> sent Bearer sk_live_abc_123456',
    secrets: ['Xml-pw-31', 'xk_live_4242', 'sk_live_abc_123456'],
    keep: ['<user>app</user><password>[redacted]</password><ns:apiKey>[redacted]</ns:apiKey>', 'sent Bearer [redacted]'],
  },
  {
    name: 'webhook URLs',
    text: 'notify https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX and https://open.feishu.cn/open-apis/bot/v2/hook/2f5e1c0a-91b3-4bcd-9def-0123456789ab',
    secrets: ['aBcDeFgHiJkLmNoPqRsTuVwX', '2f5e1c0a-91b3-4bcd-9def-0123456789ab'],
    keep: ['https://hooks.slack.com/services/', 'https://open.feishu.cn/open-apis/bot/v2/hook/'],
  },
  {
    name: 'cookies',
    text: 'Cookie: session=8f14e45fceea167a5a36dedd4bea2543; csrftoken=Zm9vYmFyYmF6\nSet-Cookie: sid=s%3AabcDEF123; Path=/; HttpOnly',
    secrets: ['8f14e45fceea167a5a36dedd4bea2543', 'Zm9vYmFyYmF6', 's%3AabcDEF123'],
    keep: ['Cookie: [redacted]', 'Set-Cookie: [redacted]'],
  },
  {
    name: 'long tokens after secret-ish words in prose',
    text: 'rotated the api key 9f8e7d6c5b4a39281706f5e4d3c2b1a0 today; the secret is Q2hhbmdlTWVQbGVhc2UxMjM0NTY',
    secrets: ['9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'Q2hhbmdlTWVQbGVhc2UxMjM0NTY'],
    keep: ['rotated the api key [redacted] today', 'the secret is [redacted]'],
  },
];

/** Ordinary incident text: must come out exactly as it went in. */
const harmless = [
  'pod checkout-7d9f8c6b5-x2k4z on node ip-10-0-1-23.ec2.internal restarted 5 times in 10m',
  'incident 123e4567-e89b-12d3-a456-426614174000 opened by ou_7d8a6e6df7621556ce0d21922b676706 in oc_a0553eda9014c201e6969b478895c230',
  'deployed commit 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a (short 3f9a8b7) to prod; image sha256:9b2f1c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c',
  'HTTP 503 on https://checkout.prod.example.com:8443/pay?order=42 from 10.0.3.14 (p99 2.4s, 1234 errors)',
  'Error: token expired for user alice; missing Bearer authentication; basic information',
  '{"user":"bob","hasPassword":true,"max_tokens":4096,"tokenCount":12,"secretName":"db-creds","keys":["cache:1","cache:2"]}',
  'redis keys cache:user:* deleted: 120; ssh://git@github.com/org/repo.git; mailto:ops@example.com',
  'disk /var/lib/postgresql 91% used; memory 7.5Gi/8Gi; load 3.2 1.9 1.1',
  'the password field is empty; rotate the secret weekly; token bucket refilled',
  'OLDPWD=/srv LOG_LEVEL=debug HOME=/home/ops',
];

describe('SecretScrubber.scrubText', () => {
  it.each(corpus)('removes every secret: $name', ({ text, secrets, keep }) => {
    const out = scrubber.scrubText(text);
    for (const secret of secrets) expect(out, `leaked ${secret}`).not.toContain(secret);
    for (const context of keep) expect(out, `lost ${context}`).toContain(context);
    expect(out).toContain(REDACTED);
  });

  it.each(harmless)('leaves ordinary text alone: %s', (text) => {
    expect(scrubber.scrubText(text)).toBe(text);
  });

  it('keeps JSON tool output parseable', () => {
    const json = JSON.stringify({ db: { password: 'json-pw-1', pin: 4321, port: 5432 }, token: 98765432, note: 'api_key=json-key-2' });
    const parsed = JSON.parse(scrubber.scrubText(json)) as unknown;
    expect(parsed).toEqual({ db: { password: REDACTED, pin: 4321, port: 5432 }, token: REDACTED, note: `api_key=${REDACTED}` });
  });

  it('is idempotent: scrubbing scrubbed text changes nothing', () => {
    for (const { text } of corpus) {
      const once = scrubber.scrubText(text);
      expect(scrubber.scrubText(once)).toBe(once);
    }
  });

  it('finishes on 1 MB inputs, including shapes that make naive regexes backtrack', () => {
    const MB = 1_000_000;
    const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    const logLine = `2024-05-01T10:00:00Z ERROR api-5c9d password=hunter2 url=postgres://u:pw0rd9@db/x Bearer ${JWT}\n`;
    const shapes = [fill(logLine), fill('a'), fill('a-'), fill('a://b:'), fill('password="x'), fill('-----BEGIN RSA PRIVATE KEY-----'), fill('eyJ'), fill('token ')];
    for (const text of shapes) expect(scrubber.scrubText(text).length).toBeGreaterThan(0);
    const logs = scrubber.scrubText(shapes[0] ?? '');
    for (const secret of ['hunter2', 'pw0rd9', JWT]) expect(logs).not.toContain(secret);
  });
});

describe('SecretScrubber.scrubValue', () => {
  it('replaces values under secret-named keys at any depth and scrubs every string', () => {
    const input = {
      service: 'checkout',
      replicas: 3,
      Password: 'pw-top-level',
      config: { db: { host: 'db-1', DB_PASSWORD: 'pw-nested', 'x-api-key': 12345678, hasPassword: true, apiKey: null } },
      headers: [{ name: 'Authorization', value: 'Bearer abc.def-123456' }, { authorization: 'Basic YWRtaW46aHVudGVyMg==' }],
      credentials: { username: 'svc', secretAccessKey: 'inner' },
      log: 'connect postgres://app:pg-pw-99@db-1/app failed',
      maxTokens: 4096,
    };
    expect(scrubber.scrubValue(input)).toEqual({
      service: 'checkout',
      replicas: 3,
      Password: REDACTED,
      config: { db: { host: 'db-1', DB_PASSWORD: REDACTED, 'x-api-key': REDACTED, hasPassword: true, apiKey: null } },
      headers: [{ name: 'Authorization', value: `Bearer ${REDACTED}` }, { authorization: REDACTED }],
      credentials: REDACTED,
      log: `connect postgres://app:${REDACTED}@db-1/app failed`,
      maxTokens: 4096,
    });
  });

  it('does not mutate its input, survives cycles and keeps Maps, Sets and Errors as such', () => {
    const cause = new Error('upstream said token=tok-cause-1');
    const error = Object.assign(new TypeError('bad url redis://:pw-in-error@cache:6379', { cause }), { code: 'E_URL', password: 'pw-on-error' });
    const map = new Map([['token', 'pw-in-map'], ['region', 'eu-1']]);
    const set = new Set(['password=pw-in-set']);
    const node: Record<string, unknown> = { name: 'root', secret: 'pw-in-node', when: new Date(0), error };
    node.self = node;
    node.children = [node, map, set];

    const out = scrubber.scrubValue(node) as typeof node;

    // The input still holds every secret, untouched.
    expect(node).toMatchObject({ name: 'root', secret: 'pw-in-node', error });
    expect(node.self).toBe(node);
    expect(node.children).toEqual([node, map, set]);
    expect([...map]).toEqual([['token', 'pw-in-map'], ['region', 'eu-1']]);
    expect([...set]).toEqual(['password=pw-in-set']);
    expect({ message: error.message, code: error.code, password: error.password, cause: error.cause }).toEqual({
      message: 'bad url redis://:pw-in-error@cache:6379',
      code: 'E_URL',
      password: 'pw-on-error',
      cause,
    });
    expect(cause.message).toBe('upstream said token=tok-cause-1');

    expect(out.self).toBe(out);
    expect(out.when).toEqual(new Date(0));
    const [again, mapCopy, setCopy] = out.children as [unknown, Map<string, string>, Set<string>];
    expect(again).toBe(out);
    expect([...mapCopy]).toEqual([['token', REDACTED], ['region', 'eu-1']]);
    expect([...setCopy]).toEqual([`password=${REDACTED}`]);
    const copy = out.error as TypeError & { code: string; password: string; cause: Error };
    expect(copy).toBeInstanceOf(TypeError);
    expect(copy.message).toBe(`bad url redis://:${REDACTED}@cache:6379`);
    expect(copy.stack).toContain(`redis://:${REDACTED}@cache`);
    expect(copy.stack).not.toContain('pw-in-error');
    expect(copy.cause.message).toBe(`upstream said token=${REDACTED}`);
    expect({ code: copy.code, password: copy.password }).toEqual({ code: 'E_URL', password: REDACTED });
    expect(Object.keys(copy)).toEqual(Object.keys(error));
    expect(JSON.stringify(out, (key, value: unknown) => (key === 'self' || key === 'children' ? undefined : value))).not.toMatch(/pw-/);
  });

  it('scrubs what a serializer would write for objects with toJSON, such as URLs', () => {
    expect(scrubber.scrubValue({ target: new URL('https://ops:url-pw-1@grafana.internal/d/x') })).toEqual({
      target: `https://ops:${REDACTED}@grafana.internal/d/x`,
    });
  });
});

describe('configured patterns and known values', () => {
  it('redacts REDACT_PATTERNS from a JSON array, whole or only the `secret` group', () => {
    const config = loadConfig({ REDACT_PATTERNS: JSON.stringify(['acme_[0-9a-f]{8}', '/pin=(?<secret>\\d{4,})/i']) });
    const scrub = createScrubber(config);
    expect(scrub.scrubText('key acme_0a1b2c3d and PIN=48213, acme_XYZ stays')).toBe(`key ${REDACTED} and PIN=${REDACTED}, acme_XYZ stays`);
  });

  it('reads a comma-separated list without splitting inside quantifiers', () => {
    const config = loadConfig({ REDACT_PATTERNS: 'emp-\\d{3,6}, INTERNAL-[A-Z]{2}\\d+' });
    expect(config.REDACT_PATTERNS.map((p) => p.source)).toEqual(['emp-\\d{3,6}', 'INTERNAL-[A-Z]{2}\\d+']);
    expect(createScrubber(config).scrubText('badge emp-0042 ticket INTERNAL-OP77')).toBe(`badge ${REDACTED} ticket ${REDACTED}`);
  });

  it('rejects an invalid or empty-matching regex with a ConfigError naming it', () => {
    expect(() => loadConfig({ REDACT_PATTERNS: '["ok\\\\d+", "broken(["]' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDACT_PATTERNS: '["ok\\\\d+", "broken(["]' })).toThrow(/REDACT_PATTERNS: invalid regex "broken\(\["/);
    expect(() => loadConfig({ REDACT_PATTERNS: 'x*' })).toThrow(/invalid regex "x\*": it matches empty text/);
    expect(() => loadConfig({ REDACT_PATTERNS: '[1, 2]' })).toThrow(/REDACT_PATTERNS: expected a JSON array of strings/);
    expect(loadConfig({}).REDACT_PATTERNS).toEqual([]);
  });

  it('replaces secrets the configuration knows wherever they appear, encoded too', () => {
    const config = loadConfig({
      LARK_APP_ID: 'cli_a1b2c3',
      LARK_APP_SECRET: 'LarkAppS3cretValue',
      API_KEYS: 'intake-key-one-0001,intake-key-two-0002',
      DATABASE_URL: 'postgres://bot:db%23pass99@db:5432/bot',
      ORDERS_DB_PASSWORD: 'Tr0ub4dor&3',
      CACHE_URL: 'redis://:cache-pw-77@cache:6379',
      SHORT_TOKEN: 'abc12',
      PWD: '/srv/ai-fixer',
      HOME: '/home/ops',
    });
    const scrub = createScrubber(config, ['k8s-sa-token-value', 'tiny']);
    const text = [
      'lark secret LarkAppS3cretValue; caller used intake-key-two-0002',
      'psql said: bad password "db#pass99" (url-encoded db%23pass99)',
      'Tr0ub4dor&3 in query ?pw=Tr0ub4dor%263',
      'cache auth cache-pw-77; k8s-sa-token-value; abc12 tiny',
      'cwd /srv/ai-fixer home /home/ops app cli_a1b2c3',
    ].join('\n');
    const out = scrub.scrubText(text);
    for (const secret of ['LarkAppS3cretValue', 'intake-key-two', 'db#pass99', 'db%23pass99', 'Tr0ub4dor', 'cache-pw-77', 'k8s-sa-token-value']) {
      expect(out).not.toContain(secret);
    }
    // Short values would redact ordinary words; PWD is a directory, not a password.
    for (const kept of ['abc12 tiny', '/srv/ai-fixer', '/home/ops', 'cli_a1b2c3']) expect(out).toContain(kept);
  });

  it('learns secrets added after creation, such as those in the targets file', () => {
    const targets = {
      kubernetes: { prod: { server: 'https://k8s.internal:6443', token: 'sa-token-0123456789', namespaces: ['shop'] } },
      http: { deploy: { baseUrl: 'https://deploy.internal', headers: { Authorization: 'Bearer deploy-tok-42424242' } } },
      postgres: { main: { url: 'postgres://ro:ro-pass-5150@db:5432/app' } },
    };
    expect(secretsIn(targets).sort()).toEqual(['Bearer deploy-tok-42424242', 'deploy-tok-42424242', 'ro-pass-5150', 'sa-token-0123456789']);
    const scrub = new SecretScrubber();
    scrub.addSecrets(secretsIn(targets));
    expect(scrub.scrubText('401 with sa-token-0123456789 / deploy-tok-42424242 / ro-pass-5150')).toBe(`401 with ${REDACTED} / ${REDACTED} / ${REDACTED}`);
  });
});
