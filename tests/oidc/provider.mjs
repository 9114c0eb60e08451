// A real OpenID Connect provider on loopback for the single sign-on tests
// (tests/browser/test_sso.py): node's oidc-provider with one confidential
// client and tiny sign-in pages of our own.
//
//   node tests/oidc/provider.mjs <redirect URI> <client id> <client secret>
//
// It listens on 127.0.0.1 at a free port and prints its issuer URL on one line.
// The claims follow the login name typed in: "newperson" is
// newperson@uni.example, verified, named "Newperson Example";
// "ada@example.org" has that address; "unverified.ben" is ben@uni.example with
// email_verified false; "mfa.ada" is ada@uni.example, signed in with a second
// factor (amr ["pwd", "mfa"]). "Cancel" answers
// access_denied, as a person refusing at their provider.
import http from 'node:http';

import Provider from 'oidc-provider';

const [redirectUri, clientId, clientSecret] = process.argv.slice(2);
const PREFIXES = ['unverified.', 'mfa.'];

function claimsFor(login) {
  let local = login;
  for (const prefix of PREFIXES) local = local.replace(prefix, '');
  const email = local.includes('@') ? local : `${local}@uni.example`;
  const person = email.split('@')[0];
  const name = person.charAt(0).toUpperCase() + person.slice(1);
  return {
    sub: login,
    email,
    email_verified: !login.startsWith('unverified.'),
    name: `${name} Example`,
  };
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    // amr with openid: the ID token says how the person signed in.
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(ctx, id) {
      return { accountId: id, claims: async () => claimsFor(id) };
    },
    // A first-party client: no consent page.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['ponder-tests-only'] },
  });
  provider.proxy = false;
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/cancel)?$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (match[2]) {
        return await provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'The person cancelled',
        }, { mergeWithLastSubmission: false });
      }
      if (req.method === 'POST') {
        const body = await new Promise((resolve) => {
          let data = '';
          req.on('data', (chunk) => { data += chunk; });
          req.on('end', () => resolve(new URLSearchParams(data)));
        });
        const login = body.get('login');
        const amr = login.startsWith('mfa.') ? ['pwd', 'mfa'] : ['pwd'];
        return await provider.interactionFinished(req, res, {
          login: { accountId: login, amr },
        }, { mergeWithLastSubmission: false });
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return res.end(page('University sign-in', `
        <form method="post" action="/interaction/${escape(details.uid)}">
          <label for="login">Login name</label>
          <input id="login" name="login" required>
          <button type="submit">Sign in at the university</button>
        </form>
        <form method="post" action="/interaction/${escape(details.uid)}/cancel">
          <button type="submit">Cancel</button>
        </form>`));
    } catch (error) {
      res.statusCode = 400;
      return res.end(page('Error', escape(error.message)));
    }
  });
  console.log(issuer);
});
