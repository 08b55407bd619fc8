import { EVOLUTION_OPERATIONS, OPERATION_NAMES } from '../dto/schema-evolution.dto';
import { EVOLUTION_OPERATION_REGISTRY } from './registry';

describe('evolution operation registry', () => {
  it('has one definition per operation, keyed by its own type, each with the original name', () => {
    expect(Object.keys(EVOLUTION_OPERATION_REGISTRY).sort()).toEqual(
      [...EVOLUTION_OPERATIONS].sort(),
    );
    for (const op of EVOLUTION_OPERATIONS) {
      expect(EVOLUTION_OPERATION_REGISTRY[op].type).toBe(op);
      expect(OPERATION_NAMES[op]).toMatch(/_(collection|field|field_type)$/);
    }
  });

  it('asks for the params each operation needs before touching the catalog', () => {
    expect(() => EVOLUTION_OPERATION_REGISTRY.rename_table.parse({})).toThrow(
      'new_name is required',
    );
    expect(() => EVOLUTION_OPERATION_REGISTRY.rename_column.parse({ new_name: 'x' })).toThrow(
      'field_id and new_name are required',
    );
    expect(() => EVOLUTION_OPERATION_REGISTRY.change_column_type.parse({ field_id: 'f' })).toThrow(
      'field_id and new_type are required',
    );
    for (const op of ['soft_delete_column', 'restore_column', 'drop_column'] as const) {
      expect(() => EVOLUTION_OPERATION_REGISTRY[op].parse({})).toThrow('field_id is required');
    }
    expect(
      EVOLUTION_OPERATION_REGISTRY.drop_column.parse({ field_id: 'f', force: 'true' }),
    ).toEqual({ fieldId: 'f', force: true });
  });
});
