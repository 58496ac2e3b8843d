/**
 * A fast-check arbitrary of the instances of a JSON schema (the keywords zod writes and the
 * providers keep: type, properties, required, items, minItems, maxItems, enum, const, anyOf,
 * minimum, maximum, local $ref), for fuzz tests: every value it draws is valid against the
 * schema, and it reaches the edges (empty and full arrays, bounds, odd strings) and shrinks.
 */
import fc from "fast-check";

type Node = Readonly<Record<string, any>>;

export function arbitraryOf(schema: Node, root: Node = schema, maxExtraItems = 6): fc.Arbitrary<unknown> {
  const node = resolve(schema, root);
  if (node.const !== undefined) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches))
    return fc.oneof(...branches.map((branch: Node) => arbitraryOf(branch, root, maxExtraItems)));
  if (Array.isArray(node.type)) {
    return fc.oneof(...node.type.map((type: string) => arbitraryOf({ ...node, type }, root, maxExtraItems)));
  }
  switch (node.type) {
    case "object": {
      const properties = Object.entries<Node>(node.properties ?? {});
      const shape = Object.fromEntries(
        properties.map(([name, property]) => [name, arbitraryOf(property, root, maxExtraItems)]),
      );
      return fc.record(shape, { requiredKeys: node.required ?? [] });
    }
    case "array": {
      const minLength = node.minItems ?? 0;
      const maxLength = Math.min(node.maxItems ?? Number.POSITIVE_INFINITY, minLength + maxExtraItems);
      return fc.array(arbitraryOf(node.items ?? {}, root, maxExtraItems), { minLength, maxLength });
    }
    case "string":
      return fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom("", " ", "\n", '"\\'));
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: Math.max(node.minimum ?? -1e9, -Number.MAX_SAFE_INTEGER),
        max: Math.min(node.maximum ?? 1e9, Number.MAX_SAFE_INTEGER),
      });
    case "number":
      return fc.double({
        min: node.minimum ?? -1e9,
        max: node.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue();
  }
}

function resolve(node: Node, root: Node): Node {
  if (typeof node.$ref !== "string" || !node.$ref.startsWith("#")) return node;
  let target: any = root;
  for (const part of node.$ref.slice(2).split("/").filter(Boolean)) target = target?.[part];
  return target ?? {};
}
