/** `Authorization: Basic base64(identifier:secret)`, as every authenticated operation needs. */
export function basicAuthorization(identifier: string, secret: string): string {
  return `Basic ${Buffer.from(`${identifier}:${secret}`).toString('base64')}`;
}

/** One GraphQL operation outside the measurements (setup, checks); throws on any error. */
export async function graphql<Data = any>(origin: string, query: string, authorization?: string): Promise<Data> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (!response.ok || body.errors) throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data as Data;
}
