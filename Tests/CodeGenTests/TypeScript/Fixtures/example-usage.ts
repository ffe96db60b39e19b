// Type-checked next to the files generated from spec/openapi.yaml: what a frontend writes
// must compile, and each `@ts-expect-error` line must be an error (tsc reports an unused one).
import { ApiClient, itemNotifications } from "./index";
import type { HTTPValidationError, ItemCreate, ItemNotification, ItemPublic, UserPublic, WebSocketMessages } from "./index";
import type { components, operations, paths } from "./index";

export async function exercise(storage: Map<string, string>): Promise<string[]> {
  const seen: string[] = [];
  const client = new ApiClient({
    baseUrl: "http://127.0.0.1:8000",
    token: () => storage.get("token"),
    headers: { "X-Client": "usage" },
  });

  // The OAuth2 login form (`scope` has a default, so it may be left out).
  const login = await client.loginAccessToken({ body: { username: "admin@example.com", password: "changethis", scope: "" } });
  if (login.ok) {
    client.setToken(login.data.access_token);
    // `Token` is a component, and a component's defaulted property is optional (a client may
    // send one too), though the server always writes it.
    const tokenType: string = login.data.token_type ?? "bearer";
    seen.push(tokenType);
  } else if (login.status === 400) {
    const detail: string = login.error.detail;
    seen.push(detail);
  } else if (login.status === 422) {
    const errors: HTTPValidationError = login.error;
    seen.push(errors.detail?.[0]?.msg ?? "");
  } else {
    const status: number = login.status;
    seen.push(String(status), String(login.error));
  }

  const me = await client.readUserMe();
  if (me.ok) {
    const user: UserPublic = me.data;
    const email: string = user.email;
    const fullName: string | null | undefined = user.full_name;
    seen.push(email, fullName ?? "");
  }

  const page = await client.readItems({ query: { skip: 0, limit: 10 } });
  if (page.ok) {
    const first: ItemPublic | undefined = page.data.data[0];
    const count: number = page.data.count;
    seen.push(first?.title ?? "", String(count));
  }
  await client.readItems();

  const draft: ItemCreate = { title: "Hello", description: null };
  const created = await client.createItem({ body: draft });
  if (created.ok) seen.push(created.data.id, created.data.owner_id);

  const controller = new AbortController();
  const item = await client.readItem({
    path: { id: "c1a1a1a1-0000-4000-8000-000000000000" },
    signal: controller.signal,
    headers: { "X-Trace": "1" },
  });
  switch (item.status) {
    case 200:
      seen.push(item.data.title);
      break;
    case 404:
      seen.push(item.error.detail);
      break;
    case 422:
      seen.push(String(item.error.detail?.length));
      break;
    default:
      seen.push(String(item.status));
  }
  // @ts-expect-error reading `data` without narrowing on `ok`
  seen.push(item.data.title);
  if (item.ok) {
    // @ts-expect-error a success carries no `error`
    seen.push(item.error);
  }
  if (item.status === 404) {
    // @ts-expect-error a 404 carries no `data`
    seen.push(item.data);
  }

  // @ts-expect-error a field ItemCreate does not have
  await client.createItem({ body: { name: "wrong field" } });
  // @ts-expect-error the title must be a string
  await client.createItem({ body: { title: 1 } });
  // @ts-expect-error the path parameter is missing
  await client.readItem({ path: {} });
  // @ts-expect-error the input with its path is required
  await client.readItem();
  // @ts-expect-error `skip` is a number
  await client.readItems({ query: { skip: "0" } });

  await client.updateItem({ path: { id: "c1a1a1a1-0000-4000-8000-000000000000" }, body: { title: null } });
  const deleted = await client.deleteItem({ path: { id: "c1a1a1a1-0000-4000-8000-000000000000" } });
  if (deleted.ok) seen.push(deleted.data.message);

  const health = await client.healthCheck();
  if (health.ok) {
    const up: boolean = health.data;
    seen.push(String(up));
  }
  const html = await client.recoverPasswordHtmlContent({ path: { email: "admin@example.com" } });
  if (html.ok) {
    const text: string = html.data;
    seen.push(text);
  }
  const mail = await client.testEmail({ query: { email_to: "admin@example.com" } });
  if (mail.ok && mail.status === 201) seen.push(mail.data.message);

  // The openapi-typescript shape openapi-fetch reads.
  type ReadItemJSON = paths["/api/v1/items/{id}"]["get"]["responses"][200]["content"]["application/json"];
  const sameItem: ReadItemJSON = {} as components["schemas"]["ItemPublic"];
  const sameAgain: ItemPublic = sameItem;
  type ReadItemPath = operations["readItem"]["parameters"]["path"];
  const path: ReadItemPath = { id: sameAgain.id };
  seen.push(path.id);

  // `x-websockets`: the owner's item notifications, typed, with the token the client holds.
  const notifications = itemNotifications({
    baseUrl: "http://127.0.0.1:8000",
    token: () => storage.get("token"),
    onMessage: (message: ItemNotification) => {
      const event: "created" | "updated" | "deleted" = message.event;
      const item: ItemPublic | undefined = message.item;
      seen.push(event, message.item_id, item?.title ?? "");
    },
    onClose: (event) => seen.push(String(event.code)),
  });
  notifications.close();
  type Notification = WebSocketMessages["/api/v1/ws/notifications"];
  const same: ItemNotification = {} as Notification;
  seen.push(same.owner_id);
  return seen;
}
