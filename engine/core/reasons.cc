#include "engine/core/reasons.h"

#include <algorithm>

#include "engine/core/status.h"

namespace autoriza {

int reason_rank(Reason code) {
  // The enum is declared in the order of docs/rules.md §7 and is append-only; a code added later
  // that belongs earlier in the listing gets an explicit rank here.
  switch (code) {
    case Reason::PERIOD_CLOSED: return int(Reason::ANNUL_WINDOW_EXPIRED) * 10 + 5;  // last of the annul group
    case Reason::PART_NOT_ALLOWED: return int(Reason::ITEM_ALREADY_CONSUMED) * 10 + 5;  // with the item rules of consume
    case Reason::SAP_FORBIDDEN_PROVIDER: return int(Reason::SAP_NOT_FOUND) * 10 + 3;
    case Reason::SAP_NOT_AWAITING_DOCS: return int(Reason::SAP_NOT_FOUND) * 10 + 6;
    default: return int(code) * 10;
  }
}

void sort_reasons(std::vector<Reason>& reasons) {
  std::sort(reasons.begin(), reasons.end(), [](Reason a, Reason b) { return reason_rank(a) < reason_rank(b); });
  reasons.erase(std::unique(reasons.begin(), reasons.end()), reasons.end());
}

std::string_view reason_code_name(Reason code) { return fb::EnumNameReasonCode(code); }

std::string_view reason_message(Reason code) {
  switch (code) {
    case Reason::NONE: break;
    case Reason::PROVIDER_NOT_FOUND: return "Prestador inexistente";
    case Reason::AFFILIATE_NOT_FOUND: return "Afiliado inexistente";
    case Reason::AFFILIATE_SUSPENDED: return "Credencial inhabilitada: afiliado suspendido";
    case Reason::AFFILIATE_TERMINATED: return "Afiliado dado de baja";
    case Reason::TOKEN_REQUIRED: return "El plan del afiliado requiere token";
    case Reason::TOKEN_INVALID: return "Token inválido";
    case Reason::TOKEN_EXPIRED: return "Token vencido";
    case Reason::TOKEN_ALREADY_USED: return "Token ya utilizado";
    case Reason::PRESCRIPTION_REQUIRED: return "Se requiere prescripción (fecha y prescriptor)";
    case Reason::PRESCRIBER_NOT_FOUND: return "Prescriptor inexistente";
    case Reason::PRESCRIPTION_IN_FUTURE: return "La fecha de prescripción es posterior a hoy";
    case Reason::PRESCRIPTION_EXPIRED: return "Prescripción vencida (más de 30 días)";
    case Reason::DIAGNOSIS_REQUIRED: return "Se requiere diagnóstico (CIE-10)";
    case Reason::PRACTICE_NOT_FOUND: return "Práctica inexistente en el nomenclador";
    case Reason::PRACTICE_NOT_ALLOWED_FOR_PROVIDER: return "Práctica no habilitada para el prestador";
    case Reason::NOT_COVERED: return "Práctica sin cobertura en el plan";
    case Reason::QUANTITY_EXCEEDED: return "Cantidad superior a la permitida";
    case Reason::AGE_NOT_ALLOWED: return "Edad del afiliado fuera del rango de la práctica";
    case Reason::SEX_NOT_ALLOWED: return "Sexo del afiliado no admitido para la práctica";
    case Reason::FREQUENCY_EXCEEDED: return "Frecuencia excedida para la práctica";
    case Reason::DUPLICATE_ITEM: return "Práctica repetida en la solicitud";
    case Reason::TOOTH_REQUIRED: return "La práctica requiere pieza dental";
    case Reason::TOOTH_INVALID: return "Pieza dental inválida";
    case Reason::TOOTH_NOT_APPLICABLE: return "La práctica no lleva pieza dental";
    case Reason::FACE_REQUIRED: return "La práctica requiere caras";
    case Reason::FACE_INVALID: return "Caras inválidas para la pieza o la práctica";
    case Reason::ORDER_NOT_FOUND: return "Orden inexistente";
    case Reason::ORDER_ANNULLED: return "Orden anulada";
    case Reason::ORDER_EXPIRED: return "Orden vencida (más de 90 días)";
    case Reason::ORDER_PROVIDER_MISMATCH: return "La orden es de otro prestador";
    case Reason::ORDER_AFFILIATE_MISMATCH: return "La orden es de otro afiliado";
    case Reason::ITEM_NOT_AUTHORIZED: return "Ítem no autorizado en la orden";
    case Reason::ITEM_ALREADY_CONSUMED: return "Ítem ya consumido";
    case Reason::PERFORMED_IN_FUTURE: return "La fecha de realización es posterior a ahora";
    case Reason::PERFORMED_BEFORE_AUTHORIZATION: return "La fecha de realización es anterior a la autorización";
    case Reason::TRANSACTION_NOT_FOUND: return "Transacción inexistente";
    case Reason::ANNUL_FORBIDDEN_PROVIDER: return "Solo el prestador que registró la transacción puede anularla";
    case Reason::ALREADY_ANNULLED: return "La transacción ya está anulada";
    case Reason::ANNUL_WINDOW_EXPIRED: return "Plazo de anulación vencido (30 días)";
    case Reason::SAP_NOT_FOUND: return "Solicitud de auditoría inexistente";
    case Reason::SAP_ALREADY_DECIDED: return "La solicitud de auditoría ya fue resuelta";
    case Reason::PERIOD_CLOSED: return "El período de facturación ya está cerrado";
    case Reason::PART_NOT_ALLOWED: return "La práctica no admite consumo de solo honorarios o solo gastos";
    case Reason::SAP_FORBIDDEN_PROVIDER: return "La solicitud de auditoría es de otro prestador";
    case Reason::SAP_NOT_AWAITING_DOCS: return "La auditoría no pidió documentación para esta solicitud";
  }
  AUTORIZA_CHECK(!"reason code without message");
  return {};
}

}  // namespace autoriza
