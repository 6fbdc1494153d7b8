// @ts-check
// TypeDoc plugin: members of the types openapi-typescript generates from spec/openapi.yaml
// (`paths`, `operations`, `components`, `webhooks` in packages/sdk/src/generated/) are structure
// (`parameters`, `content`, `headers`, `responses`…) that no JSDoc can describe; the spec is their
// documentation. They get a pointer to it instead of failing `notDocumented`. Hand-written exports
// get no such pass.
import { Comment, Converter } from 'typedoc';

const GENERATED = /(^|\/)src\/generated\//;
const POINTER = 'Generated from `spec/openapi.yaml`; the spec documents this member.';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const { project } = context;
    for (const reflection of Object.values(project.reflections)) {
      if (reflection.hasComment()) continue;
      const id = project.getSymbolIdFromReflection(reflection);
      if (id && GENERATED.test(id.packagePath)) reflection.comment = new Comment([{ kind: 'text', text: POINTER }]);
    }
  });
}
