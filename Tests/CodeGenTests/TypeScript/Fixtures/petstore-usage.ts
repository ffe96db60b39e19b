// Type-checked next to the files generated from petstore.yaml: unions, discriminators, every
// body kind and the status narrowing of results.
import { ApiClient } from "./index";
import type { AnyPet, Cat, Dog, HttpStatus, ListPetsFilter, LogInRequest, Pet, PetOwner, Problem } from "./index";

export async function exercise(): Promise<string[]> {
  const seen: string[] = [];
  const client = new ApiClient({ baseUrl: "https://pets.example.com", token: async () => "t0k" });

  const filter: ListPetsFilter = { status: "sold", born_after: "2020-01-01" };
  const page = await client.listPets({
    query: { limit: 5, tags: ["a"], filter, ids: [1, 2] },
    header: { "X-Request-ID": "r1" },
    cookie: { session: "s" },
  });
  if (page.ok) {
    for (const pet of page.data.items) {
      // The discriminator narrows the union.
      if (pet.kind === "cat") {
        const cat: Cat = pet;
        seen.push(String(cat.indoor));
      } else {
        const dog: Dog = pet;
        const tags: string[] = dog.tags;
        seen.push(dog.breed ?? "mixed", ...tags);
      }
    }
    seen.push(page.data.next ?? "");
  } else {
    // Only `default` remains: a documented problem under any other status.
    const status: HttpStatus = page.status;
    const problem: Problem = page.error;
    seen.push(String(status), problem.title);
  }

  const created = await client.createPet({ body: { name: "Rex", status: "available", weight: "3kg" } });
  if (created.ok) {
    const pet: Pet = created.data;
    const owner: PetOwner | null | undefined = pet.owner;
    seen.push(pet.id, owner?.email ?? "", String(pet.default), String(pet["x-rating"]), String(pet["2fa"]));
  } else if (created.status === 422) {
    seen.push(created.error.errors?.[0]?.path ?? "");
  }
  await client.createPet({ contentType: "multipart/form-data", body: { name: "Rex", photo: new Blob(["png"]) } });
  // @ts-expect-error a multipart body needs its photo
  await client.createPet({ contentType: "multipart/form-data", body: { name: "Rex" } });
  // @ts-expect-error `id` is read-only
  created.ok && (created.data.id = "x");

  const pet = await client.getPet({ path: { petId: "1" } });
  if (!pet.ok && pet.status === 404) {
    // Undocumented statuses exclude 404, so this is the documented 404 alone.
    seen.push(pet.error.title);
  } else if (!pet.ok) {
    // @ts-expect-error an undocumented status's error is unknown
    seen.push(pet.error.title);
  } else {
    const any: AnyPet = pet.data;
    seen.push(any.name);
  }

  const removed = await client.delete({ path: { petId: "1" } });
  if (removed.ok) {
    const nothing: undefined = removed.data;
    seen.push(String(nothing));
  } else if (removed.status === 409) {
    // 409 falls under the documented 4XX.
    const problem: Problem = removed.error;
    seen.push(problem.title);
  } else {
    seen.push(String(removed.error));
  }

  await client.patchPetsByPetId({ path: { petId: "1" } });
  await client.patchPetsByPetId({ path: { petId: "1" }, body: { name: null } });
  // @ts-expect-error PetPatch allows no other keys
  await client.patchPetsByPetId({ path: { petId: "1" }, body: { colour: "red" } });

  await client.uploadPhoto({ path: { petId: "1" }, body: new Blob(["png"]) });
  await client.uploadPhoto({ path: { petId: "1" }, body: new Uint8Array([1, 2, 3]) });
  const photo = await client.getPhoto({ path: { petId: "1" } });
  if (photo.ok && photo.status === 200) {
    const blob: Blob = photo.data;
    seen.push(blob.type);
  } else if (photo.ok) {
    const text: string = photo.data;
    seen.push(text);
  }

  const form: LogInRequest = { username: "u", password: "p", metadata: { source: "test" } };
  const token = await client.logIn({ body: form });
  if (token.ok) {
    const type: "bearer" | undefined = token.data.token_type;
    seen.push(token.data.access_token, type ?? "");
  }

  const health = await client.class();
  if (health.ok) seen.push(health.data);
  return seen;
}
