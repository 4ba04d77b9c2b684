import { compileTemplate, validateTemplate } from './compile-template';
import { TemplateError } from './template-error';

describe('compileTemplate / validateTemplate', () => {
  it.each([
    'Hi {{ profile.attributes.firstName }}',
    "{{ 'https://shop.example/cart' | track }}",
    '{% if event.properties.cartValue > 100 %}big{% endif %}',
    'plain text',
    '',
  ])('%j parses', (source) => {
    expect(validateTemplate(source)).toBeNull();
    expect(compileTemplate(source).source).toBe(source);
  });

  it.each([
    ['Hi {{ profile.attributes.firstName', 'output "{{ profile.attributes.firstName" not closed, line:1, col:4', [1, 4]],
    ['Hi {{ name | shout }}', 'undefined filter: shout, line:1, col:4', [1, 4]],
    ['line one\n{% if x %}open', 'tag {% if x %} not closed, line:2, col:1', [2, 1]],
    ['{% bogus %}', 'tag "bogus" not found, line:1, col:1', [1, 1]],
    ['{% include "header" %}', 'the include tag is not available in message templates, line:1, col:1', [1, 1]],
    ['{% render "footer" %}', 'the render tag is not available in message templates, line:1, col:1', [1, 1]],
  ])('%j is rejected: %s', (source, message, [line, column]) => {
    expect(validateTemplate(source)).toBe(message);
    let thrown: unknown;
    try {
      compileTemplate(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TemplateError);
    expect(thrown).toMatchObject({ message, line, column });
  });
});
